# Stage 1, plan targets: sets, targets, checks, approval, change requests, boards.
my-targets-title = My targets
my-targets-no-cycle = You take part in no open cycle.
field-cycle = Cycle
field-stage = Stage
field-level = Level
field-plan-status = Plan status
field-targets = Targets
field-weight-total = Total weight
plan-not-started = Not started
plan-open = Open
plan-start = Start my plan
level-office = Office work points
level-department = Department targets
level-person = Personal targets
plan-status-draft = Draft
plan-status-submitted = Submitted
plan-status-returned = Returned
plan-status-approved = Approved
change-status-pending = Pending
change-status-approved = Approved
change-status-rejected = Rejected

set-title = Target responsibility letter
set-returned-because = Returned because:
set-decided-by = Decided by
set-checks = Plan checks
set-checks-pass = All checks pass
set-no-targets = No targets yet.
set-submit = Submit for approval
set-copy-last = Copy last cycle's targets
set-copy-last-confirm = Copy your targets of the previous cycle of this kind as drafts?
set-decide = Decision
set-approve = Approve
set-return = Return for changes
set-return-reason = Reason for returning (required; shown to the owner)
check-measure-missing = No measure
check-value-missing = No target value
check-deadline-missing = No deadline
check-method-missing = No assessment method
check-deadline-outside-cycle = The deadline is outside the cycle
check-owner-is-backup = A and B must be different people
check-no-targets = No targets at all
check-weights-not-100 = The weights must add up to 100
check-below-last-year = Below last year's actual (a warning; it does not block)
plan-error-wrong-status = Not possible in the plan's current status.
plan-error-wrong-stage = Not possible in the cycle's current stage.
plan-error-reason-required = Please give a reason.
plan-error-checks-fail = The plan checks fail: fix the items marked in red first.
plan-error-no-such-cycle = There is no such cycle: choose one from the list.
plan-step-done-submitted = Submitted for approval.
plan-step-done-returned = Returned for changes.
plan-step-done-approved = Approved.
plan-nothing-to-copy = The previous cycle has no targets to copy.
plan-copied = { $name } targets copied as drafts.

target-add = Add a target
target-edit = Edit target
target-saved = Target “{ $name }” saved.
target-withdraw = Withdraw this target
target-withdraw-confirm = Withdraw this target? It will no longer count.
target-withdrawn = Target “{ $name }” withdrawn.
field-target-title = Target
field-category = Category
field-parent = Aligned to
field-measure = Measure
measure-hint = E.g. proposal reply rate, research reports written, meetings organised.
field-target-value = Target value
field-unit = Unit
field-direction = Direction
field-baseline = Last year's actual (baseline)
field-weight = Weight
field-deadline = Deadline
field-quality = Quality requirement
field-method = Assessment method
field-evidence = Evidence required
field-owner = Owner (A, post holder)
field-backup = B (designated backup)

change-request = Request a change
change-reason = Reason for the change
change-reason-hint = Approved targets change only for a policy change, a reorganisation or force majeure; choose the ground, and explain “Other”.
change-kind = Ground for the change
change-kind-policy-change = Policy change
change-kind-reorganisation = Reorganisation of functions
change-kind-force-majeure = Force majeure
change-kind-other = Other (reason required)
change-submit = Submit the change request
change-requested = Change request submitted for approval.
change-already-pending = This target already has a pending change request.
change-note = Decision note
change-note-required = A rejection needs a note.
change-own-request = You requested this change: another decider of the plan decides it.
change-approve = Approve the change
change-reject = Reject
change-approved = Change approved; the old values are kept in the history.
change-rejected = Change request rejected.
change-requests = Change requests
change-none = No change requests.
error-unchanged = The proposal is the same as the target.
history-title = Version history
history-by = By
history-changes = Changes
history-field = Field
history-old = Before
history-new = After
history-approved = Approved
history-approved-values = Approved as it stood
history-none = No history yet (it starts at approval).

queue-title = Approval queue
queue-sets = Plans awaiting your decision
queue-no-sets = No plans await your decision.
queue-choose = Choose
queue-submitted-at = Submitted
queue-approve-selected = Approve selected
queue-changes = Change requests awaiting your decision
queue-no-changes = No change requests await your decision.
queue-approved = { $name } plans approved.
queue-approved-some = { $name } approved; the others changed after you looked: decide them one by one.

department-plans-title = Department targets
overseen-title = Departments I oversee
board-title = Plan completeness
board-work-points = Office work points
board-department-plan = Department plan
board-participants = Participants
board-without-plan = No plan
board-unapproved = Not approved
board-weights-off = Weights not 100
board-approved = Approved
board-total = Total
tree-title = Alignment tree
tree-hint = Office work points → department targets → personal targets; completion is weighted and rolled up (from audited progress).
tree-completion = Completion %

assign-title = Assign a target to staff
assign-people = Give it to
assign-people-error = Choose staff of this department whose plans are drafts or returned, in a cycle still in planning.
assign-submit = Assign to the chosen staff
assign-done = Target drafted for { $name } people.

todo-sets-to-decide = { $count ->
    [one] 1 plan awaits your approval
   *[other] { $count } plans await your approval
}
todo-changes-to-decide = { $count ->
    [one] 1 change request awaits your decision
   *[other] { $count } change requests await your decision
}
todo-plan-returned = Your targets were returned: revise and resubmit
todo-plan-to-submit = { $count ->
    [one] Your plan is not yet submitted in 1 cycle
   *[other] Your plan is not yet submitted in { $count } cycles
}
check-weights-not-100-total = The weights must add up to 100 (now { $name })
list-separator = {": "}
queue-owner = Plan of

field-target-kind = Kind of target
target-kind-hint = A qualitative target has no target value; its progress reports choose completed, basically completed or not completed.
target-kind-quantitative = Quantitative
target-kind-qualitative = Qualitative
target-value-qualitative = A qualitative target has no target value: clear this field or make the target quantitative.
error-weight-range = Enter a weight from 0 to 100 (decimals allowed).
target-group-what = The target
target-group-measure = Measure and weight
target-group-assessment = How it is assessed
target-group-who = Post and A/B holders
weight-hint = 0 to 100; the weights of one plan add up to 100.
