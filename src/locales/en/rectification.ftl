# Rectification (整改, docs/DOMAIN.md §19.5).
nav-rectification = Rectification
rectification-title = Rectification items
rectification-new = Raise a rectification item
rectification-raise = Raise
rectification-edit = Edit rectification item
rectification-back = Back to the rectification items
rectification-none = No rectification items match.
rectification-overdue-convention = Overdue counts calendar days: an item not closed out by its due date is overdue from the next day.
rectification-overdue-days = { $count ->
    [one] overdue by { $count } day
   *[other] overdue by { $count } days
}
rectification-counts = Items per department
rectification-count-open = Open
rectification-count-overdue = Overdue
rectification-count-closed = Closed out
rectification-filter-overdue = Overdue only
rectification-filter-mine = Mine only
rectification-field-title = Title
rectification-field-problem = Problem
rectification-field-source = Source
rectification-field-source-kind = Kind of source
rectification-field-reference = Self-assessment reference (when the source is the excellence self-assessment)
rectification-field-department = Owner department
rectification-field-owner = Owner
rectification-field-plan = Measures
rectification-field-due-on = Due date
rectification-source-hint = Only the assessment results, department results, surveys, supervision items and publicity objections you may raise items from are listed.
rectification-due-hint = The proposed due date follows the rule settings; choose another day if needed.
rectification-source-assessment-result = Assessment result
rectification-source-department-result = Department result
rectification-source-survey = Satisfaction survey
rectification-source-supervision-item = Supervision item
rectification-source-publicity-objection = Publicity objection
rectification-source-self-assessment = Excellence self-assessment
rectification-status-open = Open
rectification-status-in-progress = In progress
rectification-status-submitted = Submitted for verification
rectification-status-closed = Closed out
rectification-status-reopened = Reopened
rectification-step-raised = Raised
rectification-step-edited = Edited
rectification-step-progress = Progress
rectification-step-submitted = Submitted for verification
rectification-step-returned = Returned
rectification-step-closed = Verified and closed out
rectification-step-reopened = Reopened
rectification-step-carried = Carried into next year's targets
rectification-raised = Raised by
rectification-closed-out = Closed out
rectification-on-time = on time
rectification-late = late
rectification-carried-into = Carried into target
rectification-progress = Progress
rectification-progress-note = What was done
rectification-evidence = Evidence (optional)
rectification-evidence-hint = PDF, images or Office documents, at most { $size } each.
rectification-progress-save = Report progress
rectification-submit-note = What was achieved (optional)
rectification-submit = Submit for verification
rectification-verify = Verification
rectification-verify-note = Verification note
rectification-verify-note-hint = Required when returning the item.
rectification-close = Verify and close out
rectification-return = Return for more work
rectification-reopen = Reopen
rectification-reopen-reason = Reason for reopening
rectification-steps = Time line
rectification-carry = Carry into next year's targets
rectification-carry-intro = Every open item of the chosen department (or of all) not yet carried becomes a qualitative target in its owner's plan of the next annual cycle, linked to the item; doing it again adds nothing.
rectification-carry-no-cycle = No annual cycle is in planning now.
rectification-carry-cycle = Annual cycle
rectification-carry-all = Every department
rectification-carry-mine = Every department I head
rectification-carry-measure = Measure of the targets
rectification-carry-method = Assessment method
rectification-carry-hint = The new targets are key work, qualitative, without weight and due at the cycle's end; their owners adjust them in their plans. Items whose owner's plan is already submitted or approved are skipped.
rectification-carry-do = Carry into targets
rectification-carry-default-measure = Item closed out on time
rectification-carry-default-method = By the close-out: on time is completed, late is basically completed, not closed out is not completed
rectification-raised-flash = Rectification item “{ $name }” raised.
rectification-saved = Rectification item “{ $name }” saved.
rectification-progress-saved = Progress reported.
rectification-submitted = Submitted for verification.
rectification-closed = Verified and closed out.
rectification-returned = Returned for more work.
rectification-reopened = Item reopened.
rectification-carried = Carried into targets / skipped: { $name }.
rectification-error-due-past = The due date cannot be before today (when editing, before the day it was raised).
rectification-error-department-source = You cannot raise an item from this kind of source for this department.
rectification-error-stale = Someone changed this item meanwhile; reload it and try again.
rectification-error-not-now = This step does not apply to the item as it stands.
todo-rectification-overdue = { $count ->
    [one] { $count } rectification item overdue
   *[other] { $count } rectification items overdue
}
todo-rectification-open = { $count ->
    [one] { $count } rectification item to carry out
   *[other] { $count } rectification items to carry out
}
todo-rectification-to-verify = { $count ->
    [one] { $count } rectification item to verify
   *[other] { $count } rectification items to verify
}
# Excel export of the list (§20.4)
rectification-days-overdue = Days overdue
rectification-closed-on = Closed on
