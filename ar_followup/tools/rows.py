# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The named row types of a follow-up run, plain Python: what the plan decides for an invoice
(:class:`InvoicePlan`), what one batch shares between its steps (:class:`RunBatch`), the
actions of a customer (:class:`PartnerActions`) and what a batch did (:class:`RunCounts`)."""

from dataclasses import dataclass, field


class InvoicePlan:
    """What the run decided for one candidate invoice."""

    __slots__ = (
        "charge_costs",
        "charge_interest",
        "charge_note",
        "claim",
        "costs_date",
        "currency_id",
        "due",
        "fee_invoice",
        "interest_date",
        "interest_from",
        "interest_missing",
        "invoice_date",
        "last_date",
        "level_id",
        "move_id",
        "new_level",
        "next_date",
        "partner_id",
        "pending",
        "residual",
        "residual_currency",
        "resume_date",
        "stored_next_date",
        "tone",
        "toned",
    )

    def __init__(
        self,
        move_id,
        partner_id,
        due,
        level_id,
        last_date,
        residual,
        stored_next_date,
        invoice_date=None,
        resume_date=None,
        pending=False,
        fee_invoice=False,
        costs_date=None,
        interest_date=None,
        residual_currency=0.0,
        currency_id=None,
        interest_missing=None,
    ):
        self.move_id = move_id
        self.partner_id = partner_id
        self.due = due
        self.level_id = level_id
        self.last_date = last_date
        self.residual = residual
        self.stored_next_date = stored_next_date
        self.invoice_date = invoice_date  # courtesy levels only for invoices issued before them
        self.resume_date = resume_date  # grace period after a dispute or a plan
        self.pending = pending  # the reminder of its level is not delivered yet
        self.fee_invoice = fee_invoice  # a fee invoice: listed, never charged costs itself
        self.costs_date = costs_date  # when collection costs were charged for it
        self.interest_date = interest_date  # interest charged up to this day
        self.residual_currency = residual_currency  # chased part, in its own currency
        self.currency_id = currency_id
        self.interest_missing = interest_missing  # interest waits for a rate of this day
        self.charge_costs = False  # its collection costs are charged in this run (claim)
        self.charge_note = None  # why costs it reached a level for are not charged (skip)
        self.claim = None  # the key of the claim it is charged in
        self.charge_interest = False  # its interest is charged in this run
        self.interest_from = None  # the day after which its statutory interest runs
        self.tone = None  # the customer's reminder level so far (set by the plan)
        self.toned = False  # listed in a reminder of that level already (set by the plan)
        self.new_level = None  # ar.followup.level reached in this run
        self.next_date = None  # date at which the following level applies

    @property
    def changed(self):
        return self.new_level is not None or self.next_date != self.stored_next_date


@dataclass
class RunCounts:
    """What a batch did, added to the run's counters."""

    email: int = 0
    activity: int = 0
    hold: int = 0
    skip: int = 0
    letter: int = 0
    fee: int = 0


@dataclass
class PartnerActions:
    """The levels whose actions a run carries out for one customer (see
    :meth:`ArFollowupRun._ar_partner_actions`); all empty when only charges fall due."""

    email: object = None  # the level whose reminder goes out
    held_back: object = None  # the e-mail level held back by the customer's tone
    activities: list = field(default_factory=list)  # the highest level per activity type
    hold: object = None  # the highest hold level
    moves: list = field(default_factory=list)  # the ids of the invoices that reached a level


@dataclass
class RunBatch:
    """What the steps of one batch share, passed to each of them (never in the context)."""

    plan: dict  # {partner_id: [InvoicePlan]}
    partners: object  # res.partner of the batch, in the run's company
    statement_rows: object = None  # ar.followup.statement's StatementRows of the whole run
    actions: dict = field(default_factory=dict)  # {partner_id: PartnerActions}
    reminders: dict = field(default_factory=dict)  # {partner_id: ar.followup.reminder}
    counts: RunCounts = field(default_factory=RunCounts)
    job: object = None  # the record of the job that runs it, when a bridge runs it as a job
