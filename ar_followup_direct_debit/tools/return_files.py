# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bank's report of direct debits it rejected or returned, as the banks send it, written
by the tests and the demo: ISO 20022 PAIN.002 (``pain.002.001.03``), which OCA's
``account_payment_return_import_iso20022`` imports. Each transaction names the payment OCA's
SEPA file collected (its id is the file's end-to-end identifier)."""

from xml.sax.saxutils import escape

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"


def pain002(creditor_iban, creditor_id, day, transactions, message_id="AR-RJCT-1"):
    """A PAIN.002 of ``day`` for the creditor account ``creditor_iban``; ``transactions`` are
    dicts with ``payment_id``, ``amount``, ``currency``, ``reason`` (ISO code), ``collected``
    (the requested collection date), ``debtor``, ``debtor_iban`` and ``mandate``."""
    total = sum(t["amount"] for t in transactions)
    rows = "".join(
        _transaction(creditor_iban, creditor_id, index, t) for index, t in enumerate(transactions)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{PAIN_NS}">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>{escape(message_id)}</MsgId><CreDtTm>{day}T20:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>{escape(message_id)}-ORIG</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>
      <OrgnlNbOfTxs>{len(transactions)}</OrgnlNbOfTxs><OrgnlCtrlSum>{total:.2f}</OrgnlCtrlSum>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>{escape(message_id)}-1</OrgnlPmtInfId>
      <OrgnlNbOfTxs>{len(transactions)}</OrgnlNbOfTxs><OrgnlCtrlSum>{total:.2f}</OrgnlCtrlSum>
      {rows}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
""".encode()


def _transaction(creditor_iban, creditor_id, index, t):
    return f"""
      <TxInfAndSts>
        <StsId>RJCT-{index + 1}</StsId>
        <OrgnlEndToEndId>{t["payment_id"]}</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>{escape(t["reason"])}</Cd></Rsn></StsRsnInf>
        <OrgnlTxRef>
          <Amt><InstdAmt Ccy="{t["currency"]}">{t["amount"]:.2f}</InstdAmt></Amt>
          <ReqdColltnDt>{t["collected"]}</ReqdColltnDt>
          <CdtrSchmeId><Id><PrvtId><Othr><Id>{escape(creditor_id)}</Id>
            <SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></CdtrSchmeId>
          <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><LclInstrm><Cd>CORE</Cd></LclInstrm>
            <SeqTp>FRST</SeqTp></PmtTpInf>
          <MndtRltdInf><MndtId>{escape(t["mandate"])}</MndtId></MndtRltdInf>
          <Dbtr><Nm>{escape(t["debtor"])}</Nm></Dbtr>
          <DbtrAcct><Id><IBAN>{t["debtor_iban"]}</IBAN></Id></DbtrAcct>
          <CdtrAcct><Id><IBAN>{creditor_iban}</IBAN></Id></CdtrAcct>
        </OrgnlTxRef>
      </TxInfAndSts>"""
