# Stage 2, monitor: supervision items (督办事项) and three-colour slips (三色督办单).
supervision-title = Supervision items
supervision-new = New supervision item
supervision-none = No supervision items match.
supervision-issue-now = Issue today's slips now
supervision-issue-hint = Slips are issued daily; an item gets at most one slip of each colour a week. Blue reminds before the due date, yellow urges an item that is late or behind, red warns of a long delay and proposes a penalty in the ledger.
supervision-field-colour = Colour
supervision-colour-none = None
supervision-field-title = Item
supervision-field-content = Content
supervision-field-source = Source
supervision-field-assignee = Assignee
supervision-assignee-hint = Optional: without an assignee, the head of the department acknowledges and handles it.
supervision-field-due-date = Due date
supervision-field-opened-by = Opened by
supervision-field-returns = Done reports returned
supervision-field-closed-at = Closed at
supervision-field-note = Note
supervision-unanswered-slips = Unanswered slips
supervision-steps = Next step
supervision-note-hint = Returning a done report needs a reason.
supervision-timeline = Timeline
supervision-event-at = Time
supervision-event-actor = By
supervision-event-step = Step
supervision-slips = Three-colour slips
supervision-no-slips = No slip has been issued.
supervision-slip-issued-on = Issued on
supervision-slip-answer-due = answer by
supervision-slip-overdue = Answer overdue
supervision-slip-answer = Answer
supervision-slip-submit-answer = Send answer
supervision-slip-unanswered = Not answered yet.
supervision-step-assigned = Assign
supervision-step-acknowledged = Acknowledge
supervision-step-in-progress = Start work
supervision-step-done-reported = Report done
supervision-step-verified = Verify
supervision-step-closed = Close out
supervision-step-reject = Return the done report
supervision-step-done-assigned = Assigned.
supervision-step-done-acknowledged = Acknowledged.
supervision-step-done-in-progress = Work started.
supervision-step-done-done-reported = Done report sent.
supervision-step-done-verified = Done report verified.
supervision-step-done-closed = Closed out.
supervision-step-done-rejected = Done report returned; the item is in progress again.
supervision-created = Supervision item “{ $name }” opened.
supervision-step-not-allowed = You cannot take this step now.
supervision-note-required = Returning a done report needs a reason.
supervision-due-date-past = The due date cannot be before today.
supervision-note-too-long = The note is too long (at most 2000 characters).
supervision-slip-answer-required = Please write an answer.
supervision-slip-answer-too-long = The answer is too long (at most 2000 characters).
supervision-slip-already-answered = This slip has already been answered.
supervision-slip-answered = Slip answered.
supervision-slips-issued = Slips issued now: { $name }.
todo-supervision-to-acknowledge = { $count ->
    [one] 1 supervision item to acknowledge
   *[other] { $count } supervision items to acknowledge
}
todo-supervision-slips-to-answer = { $count ->
    [one] 1 supervision slip to answer
   *[other] { $count } supervision slips to answer
}
todo-supervision-slips-overdue = { $count ->
    [one] 1 supervision slip answer overdue
   *[other] { $count } supervision slip answers overdue
}
todo-supervision-to-verify = { $count ->
    [one] 1 supervision done report to verify
   *[other] { $count } supervision done reports to verify
}

# Leader's instruction and progress reports
supervision-instruction = Leader's instruction (批示)
supervision-instruction-hint = Fill in when the item rests on a leader's instruction; optional.
supervision-field-instruction-doc-no = Document number (文号)
supervision-field-instructed-by = Instructed by
supervision-field-instructed-on = Instructed on
supervision-progress = Progress reports
supervision-progress-body = Progress
supervision-progress-percent = Done (%)
supervision-progress-posted-on = Reported on
supervision-progress-submit = Post progress report
supervision-progress-none = No progress report yet.
supervision-progress-missing = The progress report of the last reporting period is missing.
supervision-progress-missing-short = Progress report missing
supervision-progress-posted = Progress report posted.
supervision-progress-required = Describe the progress.
supervision-progress-too-long = The progress text is too long.
supervision-progress-percent-invalid = The percent done must be a whole number from 0 to 100.
supervision-progress-closed = The item is verified or closed; it takes no more progress reports.

# Extension requests
supervision-extensions = Extension requests (延期申请)
supervision-extension-requested-due = New due date
supervision-extension-reason = Reason
supervision-extension-submit = Request an extension
supervision-extension-none = No extension requested.
supervision-extension-pending = Awaiting decision
supervision-extension-approved = Approved
supervision-extension-rejected = Rejected
supervision-extension-approve = Approve the extension
supervision-extension-reject = Reject the extension
supervision-extension-note-hint = A rejection needs a reason.
supervision-extension-event = Extended
supervision-extension-requested = Extension requested; the supervisor side decides it.
supervision-extension-done-approved = Extension approved; the due date has moved.
supervision-extension-done-rejected = Extension rejected.
supervision-extension-date-invalid = Give a valid new due date.
supervision-extension-not-later = The new due date must be after the current one.
supervision-extension-reason-required = Give the reason for the extension.
supervision-extension-reason-too-long = The reason is too long.
supervision-extension-pending-exists = This item already has an extension request awaiting a decision.
supervision-extension-closed = The item is verified or closed; it cannot be extended.
supervision-extension-note-required = A rejected extension needs a reason.
supervision-extension-already-decided = This extension request has already been decided.

supervision-field-target = Target it serves
supervision-target-hint = Optional: one of the department's approved targets of a cycle not yet closed.

supervision-field-lead-department = Lead department
supervision-field-co-departments = Co-operating departments
supervision-co-short = Co-operating
supervision-co-departments-hint = Tick the departments that help (any number); their heads can read the item, while the lead department carries it out, reports and closes it.
supervision-co-department-is-lead = The lead department cannot also be a co-operating department.
supervision-slip-charged-to = Charged to
supervision-slip-charged-backup = (the B who covered while the assignee was away)
name-list-separator = {", "}
