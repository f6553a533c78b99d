"""What each role may do: the actions and, for each, the roles that may perform it.

The table is owned with the roles (sigap.accounts.models.Role); sigap.access evaluates it for a
user and a unit and re-exports `Action` and `ACTION_ROLES`, which is where the rest of sigap
imports them from.
"""

from __future__ import annotations

from enum import StrEnum

from sigap.accounts.models import Role


class Action(StrEnum):
    QUEUE_VIEW = "queue.view"  # see the work queue of a unit
    REQUEST_VIEW = "request.view"  # read a request, its applicant and its timeline
    REQUEST_PROCESS = "request.process"  # receive, process, return, wait, resume, reject
    EMPLOYEE_VIEW = "employee.view"  # read employee records
    AUDIT_VIEW = "audit.view"  # read the audit trail of a unit (Inspektorat)
    WBS_HANDLE = "wbs.handle"  # read and answer whistleblowing reports about a unit
    INTEGRITY_VIEW = "integrity.view"  # integrity signals and the Inspektorat dashboard
    INTEGRITY_DECIDE = "integrity.decide"  # confirm or dismiss a signal about an officer
    OMBUDSMAN_VIEW = "ombudsman.view"  # the read-only external oversight view
    SURVEY_VIEW = "survey.view"  # SKM results, IKM and the SKM report of a unit
    COMPLAINT_VIEW = "complaint.view"  # read complaints about a unit (identity hidden if asked)
    COMPLAINT_HANDLE = "complaint.handle"  # verify, forward, follow up, close, escalate
    COMPLAINT_IDENTITY = "complaint.identity"  # see who filed a confidential complaint
    SURVEY_PLAN = "survey.plan"  # write the SKM follow-up plan (rencana tindak lanjut) of a unit
    APPRAISAL_VIEW = "appraisal.view"  # read SKP plans, appraisals and evidence of a unit
    APPRAISAL_RATE = "appraisal.rate"  # plan and rate the SKP of a unit's employees (the rater)
    APPRAISAL_CALIBRATE = "appraisal.calibrate"  # HR: calibrate, org ratings, potential, absence
    TALENT_VIEW = "talent.view"  # the 9-box, talent pools and succession groups
    PERFORMANCE_VIEW = "performance.view"  # service performance (Kinerja layanan) of a unit
    SCORECARD_VIEW = "scorecard.view"  # the leadership scorecard and roadmap of a unit
    ROADMAP_EDIT = "roadmap.edit"  # accept, dismiss or mark done a unit's roadmap actions
    PRIVACY_HANDLE = "privacy.handle"  # citizens' data requests and the breach register (PDP)
    PAYMENT_HANDLE = "payment.handle"  # record, import and reconcile the payments of a unit
    SLOT_PLAN = "slot.plan"  # the weekly counter slot plan of a unit and its generated slots
    STANDARD_DRAFT = "standard.draft"  # draft a service standard, run its public consultation
    STANDARD_PUBLISH = "standard.publish"  # set (menetapkan) a draft standard with its start date
    COMPETENCY_VIEW = "competency.view"  # profiles, gaps, JP and the AKPK of a unit's employees
    COMPETENCY_MANAGE = "competency.manage"  # HR: standards, assessments, training records, imports
    DEVPLAN_UNIT_APPROVE = "devplan.unit_approve"  # the unit head approves the unit's AKPK
    DEVPLAN_HR_APPROVE = "devplan.hr_approve"  # HR approves (sets) a unit's and the agency's AKPK
    INNOVATION_VIEW = "innovation.view"  # the innovation registry, ideas and measured effects
    INNOVATION_MANAGE = "innovation.manage"  # register innovations, move stages, bukti dukung
    IDEA_PROPOSE = "idea.propose"  # propose an improvement idea in one's unit, endorse ideas
    IDEA_DECIDE = "idea.decide"  # accept an idea into the registry or answer why not
    IID_MANAGE = "iid.manage"  # the IID workbench: SPD answers, scoring, the export
    ONBOARD_PEOPLE = "onboard.people"  # import the agency's employees (SIASN export), SIASN sync
    ONBOARD_ORGANISATION = "onboard.organisation"  # import units, standards and request history
    LAPOR_EXCHANGE = "lapor.exchange"  # import/export SP4N-LAPOR! reports, push follow-ups


ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.QUEUE_VIEW: frozenset({Role.OFFICER, Role.UNIT_HEAD}),
    Action.REQUEST_VIEW: frozenset(
        {Role.OFFICER, Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    Action.REQUEST_PROCESS: frozenset({Role.OFFICER, Role.UNIT_HEAD}),
    Action.EMPLOYEE_VIEW: frozenset({Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP, Role.INSPECTOR}),
    Action.AUDIT_VIEW: frozenset({Role.INSPECTOR}),
    Action.WBS_HANDLE: frozenset({Role.INSPECTOR}),
    Action.INTEGRITY_VIEW: frozenset({Role.INSPECTOR}),
    # A confirmed finding weighs on the officer's SKP: only the Inspektorat decides it.
    Action.INTEGRITY_DECIDE: frozenset({Role.INSPECTOR}),
    Action.OMBUDSMAN_VIEW: frozenset({Role.OMBUDSMAN}),
    Action.SURVEY_VIEW: frozenset(
        {Role.OFFICER, Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    Action.COMPLAINT_VIEW: frozenset(
        {Role.UNIT_HEAD, Role.INSPECTOR, Role.OMBUDSMAN, Role.LEADERSHIP}
    ),
    # The unit head answers for the unit; the Inspektorat is the instansi's complaint admin.
    Action.COMPLAINT_HANDLE: frozenset({Role.UNIT_HEAD, Role.INSPECTOR}),
    Action.COMPLAINT_IDENTITY: frozenset({Role.INSPECTOR}),
    Action.SURVEY_PLAN: frozenset({Role.UNIT_HEAD}),
    Action.APPRAISAL_VIEW: frozenset({Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP}),
    # The unit head is the rater (pejabat penilai) of the unit's staff; never of themselves.
    Action.APPRAISAL_RATE: frozenset({Role.UNIT_HEAD}),
    Action.APPRAISAL_CALIBRATE: frozenset({Role.HR}),
    Action.TALENT_VIEW: frozenset({Role.HR, Role.LEADERSHIP}),
    Action.PERFORMANCE_VIEW: frozenset(
        {Role.UNIT_HEAD, Role.LEADERSHIP, Role.INSPECTOR, Role.OMBUDSMAN}
    ),
    # Leadership over its subtree, a unit head over the unit (issue #7).
    Action.SCORECARD_VIEW: frozenset({Role.UNIT_HEAD, Role.LEADERSHIP}),
    Action.ROADMAP_EDIT: frozenset({Role.UNIT_HEAD, Role.LEADERSHIP}),
    # The agency's administrator is the controller's data-protection officer (UU 27/2022
    # Pasal 53) unless an agency gives the role to someone else: docs/privacy.md.
    Action.PRIVACY_HANDLE: frozenset({Role.ADMIN}),
    # The revenue treasurer (bendahara penerimaan) or cashier records what was paid; the officer
    # who serves the applicant never does, so the overcharge signal rests on evidence they
    # cannot write (issue #12).
    Action.PAYMENT_HANDLE: frozenset({Role.CASHIER}),
    # The unit head decides how many applicants the counter can take when (issue #13); the
    # officers see the day list and mark no-shows under QUEUE_VIEW and REQUEST_PROCESS.
    Action.SLOT_PLAN: frozenset({Role.UNIT_HEAD}),
    # The unit head knows the service and answers the public, so drafts a new version and runs
    # its consultation; the agency's administrator may too. Only the administrator publishes it
    # (the act that changes what every request is judged against): docs/service-standards.md.
    Action.STANDARD_DRAFT: frozenset({Role.UNIT_HEAD, Role.ADMIN}),
    Action.STANDARD_PUBLISH: frozenset({Role.ADMIN}),
    # Competency development (issue #15): HR (BKPSDM) keeps the records and sets the AKPK; the
    # unit head sees the team and approves the unit's plan first; leadership reads.
    Action.COMPETENCY_VIEW: frozenset({Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP}),
    Action.COMPETENCY_MANAGE: frozenset({Role.HR}),
    Action.DEVPLAN_UNIT_APPROVE: frozenset({Role.UNIT_HEAD}),
    Action.DEVPLAN_HR_APPROVE: frozenset({Role.HR}),
    # Innovation (issue #16): every member of staff sees the registry of their units and may
    # propose and endorse ideas; the unit head registers the unit's innovations and decides on
    # ideas; HR (for BKPSDM, on behalf of Bappeda) keeps the registry of the whole agency and
    # its IID answers; leadership and the Inspektorat read.
    Action.INNOVATION_VIEW: frozenset(
        {Role.OFFICER, Role.UNIT_HEAD, Role.HR, Role.LEADERSHIP, Role.INSPECTOR}
    ),
    Action.INNOVATION_MANAGE: frozenset({Role.UNIT_HEAD, Role.HR}),
    Action.IDEA_PROPOSE: frozenset({Role.OFFICER, Role.UNIT_HEAD}),
    Action.IDEA_DECIDE: frozenset({Role.UNIT_HEAD}),
    Action.IID_MANAGE: frozenset({Role.HR}),
    # Onboarding (issue #18): BKPSDM imports the people and exchanges with SIASN; the agency's
    # administrator (Bagian Organisasi) imports the unit tree, the standards and the history of
    # requests; the Inspektorat, the instansi's complaint admin, reconciles with SP4N-LAPOR!.
    # Each acts over the agency's root unit (an import touches the whole agency).
    Action.ONBOARD_PEOPLE: frozenset({Role.HR}),
    Action.ONBOARD_ORGANISATION: frozenset({Role.ADMIN}),
    Action.LAPOR_EXCHANGE: frozenset({Role.INSPECTOR}),
}
