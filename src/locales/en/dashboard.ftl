# The four-stage dashboard (四个环节总览).
nav-dashboard = Four stages at a glance
dashboard-title = The four stages of performance management at a glance
dashboard-intro = The quality measures of the four stages — plan, monitor, assess, feedback — by department, with the office's totals in the last row; each figure opens the list behind it. Plan and monitor use the chosen plan-and-monitor cycle; assess and feedback use the chosen assessment-and-feedback cycle.
dashboard-plan-cycle = Plan and monitor cycle
dashboard-assess-cycle = Assessment and feedback cycle
dashboard-stage-plan = Plan targets (complete)
dashboard-stage-monitor = Monitor implementation (comprehensive, strong, effective)
dashboard-stage-assess = Assess (true, concise, useful)
dashboard-stage-feedback = Track feedback (fast, accurate, timely)
dashboard-participants = Participants
dashboard-plans-approved = Plans approved
dashboard-complete = Complete: plans approved
dashboard-targets-reported = Targets reported this period
dashboard-comprehensive = Comprehensive: report coverage
dashboard-reports-overdue = Reports overdue
dashboard-strong = Strong: open supervision items (by slip colour)
dashboard-effective = Effective: slips answered in time
dashboard-true = True: self-summaries submitted
dashboard-concise = Concise: rating tasks done
dashboard-useful = Useful: results decided
dashboard-decided = Results decided
dashboard-fast = Fast: notices issued in time
dashboard-notices-signed = Notices signed
dashboard-accurate = Accurate: results standing uncorrected
dashboard-appeals-timely = Timely: reviews and appeals decided in time
dashboard-rectification-timely = Timely: rectification closed on time
dashboard-office-total = Whole office
dashboard-quota-approved = The committee has approved the share of 优秀 (excellent) grades
dashboard-quota-waiting = The share of 优秀 (excellent) grades awaits the committee's approval
dashboard-calibrations = { $count ->
    [one] { $count } person calibrated
   *[other] { $count } people calibrated
}
dashboard-decided-at = Results decided on
dashboard-publicity-until = publicised until
dashboard-not-decided = The results are not decided yet
dashboard-no-assessed-cycle = No cycle has reached assessment yet.
dashboard-rectification-year = Rectification items counted are those due in { $count }.
dashboard-chart = The main measure of each stage by department
dashboard-conventions = Conventions: complete = people with an approved plan ÷ participants; comprehensive = targets reported for the latest period past its deadline ÷ targets; effective = slips answered by their answer date ÷ slips answered or past that date; true = self-summaries submitted ÷ participants; useful = results decided ÷ participants; fast = notices issued within the work-day limit ÷ notices issued; accurate = results not corrected by an objection, review or appeal ÷ all results; timely = reviews and appeals decided (or rectification items closed) in time ÷ those decided (closed). A dash means there is nothing to count yet.
dashboard-overdue-items = Reviews, appeals and rectification items overdue
dashboard-red = Red
dashboard-yellow = Yellow
dashboard-blue = Blue
