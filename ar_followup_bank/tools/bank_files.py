"""Bank statement files as the banks send them, written by the tests and the demo: ISO 20022
CAMT.053 (``camt.053.001.02``, the version Dutch banks export) and Febelfin's CODA 2 (Belgian
banks), fixed-width records of 128 characters."""

from xml.sax.saxutils import escape

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def camt053(iban, currency, day, entries, statement_id="AR-1"):
    """A CAMT.053 statement of account ``iban`` booked on ``day``; ``entries`` are dicts
    with ``amount`` (positive: received), ``name``, ``iban`` (the payer's) and either
    ``reference`` (structured, ``RmtInf/Strd/CdtrRefInf/Ref``) or ``text`` (``Ustrd``)."""
    total = sum(entry["amount"] for entry in entries)
    ntries = "".join(_camt_entry(currency, day, i, entry) for i, entry in enumerate(entries))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{CAMT_NS}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>{statement_id}</MsgId><CreDtTm>{day}T07:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{statement_id}</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>{day}T07:00:00</CreDtTm>
      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>
      {_camt_balance("OPBD", currency, 0.0, day)}
      {_camt_balance("CLBD", currency, total, day)}
      {ntries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def _camt_balance(code, currency, amount, day):
    sign = "CRDT" if amount >= 0 else "DBIT"
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{currency}">{abs(amount):.2f}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
        f"<Dt><Dt>{day}</Dt></Dt></Bal>"
    )


def _camt_entry(currency, day, index, entry):
    amount = f"{abs(entry['amount']):.2f}"
    sign = "CRDT" if entry["amount"] >= 0 else "DBIT"
    if entry.get("reference"):
        remittance = (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{escape(entry['reference'])}</Ref></CdtrRefInf></Strd>"
        )
    else:
        remittance = f"<Ustrd>{escape(entry.get('text', ''))}</Ustrd>"
    return f"""
      <Ntry>
        <Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>
        <AcctSvcrRef>AR-{day}-{index}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>AR-{day}-{index}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <AmtDtls><TxAmt><Amt Ccy="{currency}">{amount}</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>{escape(entry["name"])}</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>{entry["iban"]}</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>{remittance}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""


def _record(*fields, version=None):
    """A CODA record of 128 characters: ``fields`` are ``(position, text)``."""
    line = [" "] * 128
    for position, text in fields:
        line[position : position + len(text)] = list(text)
    if version:
        line[127] = version
    return "".join(line)


def coda(iban, currency, day, entries, holder="AR FOLLOWUP TEST"):
    """A CODA 2 statement of the Belgian account ``iban`` booked on ``day`` (a date);
    ``entries`` are dicts with ``amount`` (positive: received), ``name``, ``iban`` (the
    payer's) and ``communication``: twelve digits make a structured communication
    (+++ddd/dddd/ddddd+++), anything else a free one."""
    ddmmyy = day.strftime("%d%m%y")
    total = sum(entry["amount"] for entry in entries)
    records = [
        _record((0, "00000"), (5, ddmmyy), (11, "725"), (14, "05"), (16, " " * 7), version="2"),
        _record(
            (0, "12"),
            (2, "001"),
            (5, iban),
            (39, currency),
            (42, "0"),
            (43, "0" * 15),
            (58, ddmmyy),
            (64, holder[:26]),
            (125, "001"),
        ),
    ]
    for number, entry in enumerate(entries, start=1):
        seq = f"{number:04d}"
        sign = "0" if entry["amount"] >= 0 else "1"
        amount = f"{round(abs(entry['amount']) * 1000):015d}"
        communication = entry["communication"]
        if communication.isdigit() and len(communication) == 12:
            free = ("1", "101" + communication)
        else:
            free = ("0", communication[:53].ljust(53))
        records.append(
            _record(
                (0, "21"),
                (2, seq + "0000"),
                (10, f"AR{ddmmyy}{seq}".ljust(21)),
                (31, sign),
                (32, amount),
                (47, ddmmyy),
                (53, "0"),
                (54, "0150000"),
                (61, free[0] + free[1]),
                (115, ddmmyy),
                (124, "0"),
            )
        )
        records.append(
            _record(
                (0, "23"),
                (2, seq + "0000"),
                (10, entry["iban"].ljust(34)),
                (44, currency),
                (47, entry["name"][:35]),
            )
        )
    sign = "0" if total >= 0 else "1"
    records.append(
        _record(
            (0, "8"), (1, "001"), (41, sign), (42, f"{round(abs(total) * 1000):015d}"), (57, ddmmyy)
        )
    )
    records.append(_record((0, "9")))
    return ("\n".join(records) + "\n").encode("windows-1252")
