# Rater tasks and ballots (测评).
nav-ballots = My ballots
ballots-title = My ballots
ballots-intro = The people you rate in the cycles being assessed. A ballot cannot be changed once cast; democratic evaluation is anonymous: the system keeps no link between a voter and a ballot.
ballots-progress = Done: { $count }
ballots-ratee = Person rated
ballots-group = Rater group
ballots-status = Status
ballots-as-head = duty report
ballots-anonymous = anonymous
ballots-done = Cast
ballots-to-do = To rate
ballots-rate = Rate
ballots-none = There is nobody for you to rate at the moment.
ballot-title = Ballot
ballot-anonymous-notice = This is the anonymous democratic evaluation: the ballot does not record your name, and no page, export or log shows whom you rated or how.
ballot-error-missing = Choose a level for every criterion.
ballot-confirm = A cast ballot cannot be changed. Cast it?
ballot-cast = Cast the ballot
ballot-already-cast = This ballot has been cast already and cannot be cast again.
ballot-cast-done = The ballot is cast.
rating-tasks-title = Rater tasks
rating-tasks-generate = Generate the rater tasks from the organisation
rating-tasks-progress = Cast: { $count }
rating-tasks-generated = { $name } rater tasks added.
rating-tasks-not-in-assessment = Rater tasks are generated only for a cycle in the assessment stage.
scores-title = Scores
scores-intro = Each department's participants with their score, the grade the score gives, and the grade after the quota. Scores are computed by the scheme from the ballots, target completion and ledger points; open a name to see where each term comes from.
scores-no-department = No department
scores-quota = 好 quota used
scores-tie-at-cut = A tie at the quota line: the committee decides
scores-rank = Rank
scores-person = Name
scores-total = Score
scores-band = By score
scores-grade = Grade
scores-over-quota = Over the quota
scores-none = Nobody takes part.
assess-score-missing = No score yet
score-title = Score breakdown
score-criteria = Criteria
score-criterion = Criterion
score-source = Source
score-max = Points
score-value = Rate
score-points = Scored
score-targets = { $count ->
    [one] 1 target
   *[other] { $count } targets
}
score-groups = Rater groups
score-weight = Weight
score-effective-weight = Weight used
score-ballots = Ballots
score-mean = Mean
score-paper-ballots = ({ $count } on paper)
score-withheld = Too few ballots: neither shown nor counted
score-renormalised = A rater group did not count (no ballots, or too few), so the others' weights were rescaled.
score-criteria-total = Criteria total
score-bonus = Additions
score-bonus-capped = before the cap
score-penalties = Deductions
score-cannot = The score cannot be computed yet.
nav-scores = Scores
score-cycles-intro = Cycles from the assessment stage on.
score-cycles-none = No cycle has reached the assessment stage yet.
annual-scores-intro = Annual assessment: the score adds the mean of the quarterly scores, the democratic evaluation and the leaders' evaluation at the scheme's shares; the eligibility gates (disciplinary actions, accountability, investigations, probation, leave, the quarterly pattern) decide who may be excellent and who gets no grade, then the excellent quota applies. People without a grade leave the quota base.
annual-scores-quota = Excellent quota used
annual-scores-base = { $count ->
    [one] quota base 1 person
   *[other] quota base { $count } people
}
annual-scores-quarters = Quarters
annual-scores-gates = Gates
nav-publicity = Publicity
decision-decide = Decide and publish
decision-hint = Deciding freezes every person's current score and grade: nothing is recomputed later. The people graded 好 or 优秀 are published in the office for the scheme's number of work days, during which anyone may object.
decision-confirm = The grades are frozen and publicity starts. Decide?
decision-made = Decided: the grades are frozen and publicity has started.
decision-already = This cycle has been decided already.
decision-not-in-assessment = Grades are decided only for a cycle in the assessment stage.
decision-decided-by = Decided by
decision-publicity = Publicity
decision-final = Publicity over: the results stand
decision-computed = Computed grade
decision-changed = changed (calibration or objection)
objections-title = Objections
objections-none = No objections.
objection-raised-by = raised by
objection-answer = Answer
objection-new-grade = If upheld, the grade becomes
objection-dismiss = Dismiss
objection-uphold = Uphold and change the grade
objection-upheld = Upheld
objection-dismissed = Dismissed
objection-open = Awaiting the committee's answer.
objection-answer-invalid = Write an answer; upholding needs the new grade.
objection-answered-already = This objection has been answered already.
objection-raised = Your objection is recorded; the assessment committee will answer it.
objection-about = The person whose result you object to
objection-body = Your objection
objection-raise = Raise an objection
publicity-title = Publicity
publicity-intro = Once the assessment committee decides, the people graded 好 or 优秀 are published here; while publicity runs anyone may object to a result, and the committee answers. When it ends the results stand.
publicity-none = Nothing is being published.
publicity-none-top = Nobody is graded 好 or 优秀 in this cycle.
score-decided = The score and grade the committee decided (frozen); below, the computation from today's data
calibration-title = Calibration
calibration-hint = Before deciding, the committee may set a person's grade apart from the computed one, with a written reason; the change is audited and the decision uses it. Choosing the computed grade removes it.
calibration-reason = Reason
calibration-save = Save the calibration
calibration-saved = The calibration is saved.
calibration-closed = The cycle is decided or not in the assessment stage: grades can no longer be calibrated.

## The committee's records before deciding an annual cycle
committee-title = Assessment committee records
committee-closed = The cycle is decided or not in the assessment stage; nothing more can be recorded.
quota-approval-title = Approval of the 优秀 rate
quota-approval-hint = With the approval of the competent authority the 优秀 rate may rise to { $name }%. Enter the approval's reference; once recorded, every unit's quota uses that rate.
quota-approval-reference = Approval reference
quota-approval-save = Record the approval
quota-approval-saved = Approval recorded; the 优秀 quotas use the approved rate.
quota-approval-recorded = Approved
quota-approval-withdraw = Withdraw the approval
quota-approval-withdrawn = Approval withdrawn; the 优秀 quotas use the ordinary rate.
quota-approval-applied = (at the approved rate)
veto-title = Hard veto (一票否决)
veto-hint = A person vetoed is graded incompetent whatever the score; a written reason is required and kept in the audit log. Nobody records one about themselves.
veto-reason = Reason for the veto
veto-save = Record the veto
veto-saved = Hard veto recorded.
veto-withdraw = Withdraw
veto-withdrawn = Hard veto withdrawn.
veto-badge = Hard veto
scores-unit-leaders = Division-level cadres (whole office)
scores-unit-pooled = Pooled unit
error-own = Nobody decides about themselves.

# Paper ballots of a democratic evaluation meeting, and corrections of ballots.
ballots-paper = paper
ballots-corrected = corrected
ballot-level-none = not rated
cycle-ballots-title = Ballots and corrections
cycle-ballots-intro = The ballots each participant of the cycle received, how many of them on paper and how many corrected. Democratic ballots name no voter.
cycle-ballots-total = { $count ->
    [one] 1 ballot
   *[other] { $count } ballots
}
cycle-ballots-paper = on paper: { $count }
cycle-ballots-open = Ballots
paper-title = Enter paper ballots
paper-intro = When a democratic evaluation meeting votes on paper, the performance office enters it per department: for each person rated, the number of ballots at each level, and the raters who attended and voted on paper. The attendees' online tasks turn done, so they cannot vote online as well; a person's ballots may not outnumber the attendees who had a task for them. Paper ballots, like online democratic ballots, record no voter.
paper-choose-department = Choose the department
paper-no-departments = The cycle has no democratic evaluation tasks yet: generate the rater tasks first.
paper-attendees = Raters who attended and voted on paper
paper-attendees-hint = Only raters whose democratic evaluation is not done yet are listed.
paper-no-raters = The department's democratic evaluation is complete.
paper-confirm = The attendees' online ballots close and paper ballots cannot be withdrawn (only corrected one by one). Enter them?
paper-enter = Enter the paper ballots
paper-entered = { $name } paper ballots entered.
paper-closed = The cycle is not in the assessment stage or has been decided: paper ballots cannot be entered.
paper-error-no-attendee = Tick at least one rater who attended.
paper-error-count = A count is a whole number of zero or more.
paper-error-over-attendees = More ballots than attendees who had a task for this person.
paper-error-no-ballots = Enter at least one ballot.
person-ballots-title = Ballots
person-ballots-intro = Democratic ballots name no voter and are not listed in the order they were cast. A submitted ballot is corrected only by the performance office, with a written reason.
person-ballots-rater = Rater
person-ballots-none = No ballots yet.
corrections-title = Corrections
correction-ballot = ballot
correction-open = Correct
correction-title = Correct a ballot
correction-anonymous-notice = This is an anonymous democratic ballot: the correction records the corrector and the reason, never the voter.
correction-reason = Reason for the correction
correction-save = Save the correction
correction-saved = The correction is saved.
correction-closed = The cycle is not in the assessment stage or has been decided: ballots can no longer be corrected.
correction-unchanged = The levels are those of the ballot already: nothing to correct.
cycle-history-paper-entered = Paper ballots entered
cycle-history-ballot-corrected = Ballot corrected
todo-ballots-to-cast = { $count ->
    [one] 1 ballot to cast
   *[other] { $count } ballots to cast
}
todo-cycles-to-decide = { $count ->
    [one] 1 assessment cycle waits for the committee's decision
   *[other] { $count } assessment cycles wait for the committee's decision
}
todo-objections-to-answer = { $count ->
    [one] 1 objection in publicity waits for an answer
   *[other] { $count } objections in publicity wait for an answer
}
# Excel exports of the score page and of the cycle's ballots (§20.4)
export-results-title = Assessment results summary
export-quotas-title = Quota allocation
export-quotas-xlsx = Export the quota allocation
export-unit = Allocation unit
export-calibration = Calibration
export-participants = Participants
export-quota-base = Quota base
export-quota-used = Quota used
export-democratic-title = Democratic evaluation summary
democratic-summary-title = Democratic evaluation summary
democratic-summary-intro = The democratic evaluation ballots each participant received, in aggregate: each level counts the marks over all ballot criteria (a ballot gives every criterion one level), and the mean is out of 100 under the scheme, as the score counts it. Below the minimum number of ballots only the number is shown. No rater and no single ballot is shown.
democratic-ballots = Democratic ballots
democratic-mean = Mean
