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
