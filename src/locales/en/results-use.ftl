## Use of results and history (§19.6, §19.7)
nav-result-use = Use of results
nav-my-history = My record
nav-trends = Department trends

result-use-title = Use of results: proposals
result-use-intro = Once a year's annual results are final (publicity over), the system proposes the records the rules call for: a commendation (嘉奖) for 优秀; a merit citation, third class (记三等功), after three 优秀 in a row; a salary step after two counted years (称职 or better) and a level after five; an admonition (诫勉) for 基本称职; demotion for 不称职; dismissal proceedings after two 不称职 in a row. The performance office confirms or rejects each, with a reason; someone else decides those about oneself.
result-use-field-year = Year
result-use-field-kind = Record
result-use-field-person = Person
result-use-field-decision = Confirm or reject
result-use-field-reason = Reason
result-use-confirm = Confirm
result-use-reject = Reject
result-use-own = About you: another member of the performance office decides it.
result-use-basis-changed = Basis changed
result-use-confirmed = The proposal is confirmed.
result-use-rejected = The proposal is rejected.
result-use-stale = Someone else has decided or changed this proposal; look at it again before deciding.
result-use-decision-required = Choose confirm or reject.
result-use-reason-required = Give a reason.
result-use-reason-too-long = The reason is too long.
result-use-kind-commendation = Commendation (嘉奖)
result-use-kind-merit = Merit citation, third class (记三等功)
result-use-kind-salary-step = One salary step
result-use-kind-level = One level
result-use-kind-admonition = Admonition (诫勉)
result-use-kind-demotion = Demotion
result-use-kind-dismissal = Dismissal proceedings (辞退)
result-use-status-proposed = Proposed
result-use-status-confirmed = Confirmed
result-use-status-rejected = Rejected
result-use-status-withdrawn = Withdrawn (no longer supported)

record-title = Assessment record
history-step-since = Current salary step since
history-level-since = Current level since
history-chart = Annual scores over the years
history-no-scores = No annual score decided in the system yet.
history-counters = Grades by year and the counters of the use of results
history-rules = Years graded 称职 (合格) or better count toward a salary step and a level, from the first whole year after the current step's and level's dates; years graded 基本称职, 不称职 or without a grade do not count. Runs of 优秀 and of 不称职 are over consecutive years: a year without a grade does not break a run, a year missing from the record does. Imported earlier grades feed the counters; proposals are made only for years decided in the system.
history-grade = Grade
history-score = Score
history-counted = Counts?
history-counts = Counts
history-does-not-count = Does not count
history-excellent-run = 优秀 in a row
history-step-count = Toward a salary step
history-level-count = Toward a level
history-incompetent-run = 不称职 in a row
history-due = Proposals due that year
history-imported = Imported
history-no-years = No annual grade yet.
history-records = Rewards and measures
history-no-records = No proposal or record yet.

trends-title = Department trends
trends-intro = Each final year's department grade and score, and how many of the department's staff got each annual grade.
trends-department-grade = Department grade
trends-department-score = Department score

grade-import-title = Import earlier grades
grade-import-intro = Upload earlier years' annual grades (CSV or XLSX) so that the counters of the use of results are right from the first day. One person and year a row: username, year, grade (in Chinese). Every row is checked in a preview first; then the rows without problems are committed.
grade-import-file = Grades file
grade-import-column-username = The staff member's sign-in username
grade-import-column-year = The year assessed, before this year, e.g. 2024
grade-import-column-grade = 优秀, 称职, 基本称职, 不称职, 不定等次 (institution staff: 合格, 基本合格, 不合格)
grade-import-rules = A year the system decided is never overwritten by an import; a year imported before takes the new file's grade.
grade-import-preview-title = Earlier grades: preview
grade-import-field-username = Username
grade-import-plan-add = { $count ->
    [one] One year to add.
   *[other] { $count } years to add.
}
grade-import-plan-replace = { $count ->
    [one] One imported year to update.
   *[other] { $count } imported years to update.
}
grade-import-rows-left-out = { $count ->
    [one] One row with problems is left out.
   *[other] { $count } rows with problems are left out.
}
grade-import-row-adds = Adds
grade-import-row-replaces = Updates the imported grade
grade-import-commit = { $count ->
    [one] Import one row
   *[other] Import { $count } rows
}
grade-import-committed = Grades of { $name } years imported.
grade-import-already-committed = This file was imported already.
grade-import-error-unknown-user = No person has this username
grade-import-error-bad-year = The year cannot be read
grade-import-error-year-not-earlier = Only years before this one can be imported
grade-import-error-bad-grade = The grade cannot be read
grade-import-error-decided-year = The system decided this year's grade; an import cannot overwrite it
grade-import-error-repeated = The same person and year appear more than once in the file
field-step-since = On the current salary step since
# Excel export of the proposals (§20.4)
result-use-decided-by = Decided by
result-use-decided-at = Decided at
