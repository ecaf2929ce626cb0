# Reviews (复核) and appeals (申诉): the person contests a final annual result; the assessment committee decides within its deadline.

nav-appeals-my = My reviews and appeals
nav-appeals = Reviews and appeals
appeal-kind-review = Review
appeal-kind-appeal = Appeal
appeal-outcome-upheld = Result upheld
appeal-outcome-corrected = Result corrected

appeal-countdown-left = { $count ->
    [one] 1 day left
   *[other] { $count } days left
}
appeal-countdown-today = today is the last day
appeal-countdown-overdue = { $count ->
    [one] 1 day overdue
   *[other] { $count } days overdue
}
appeal-convention-learned = { $days } calendar days: the day you learnt the result (received the written notice) does not count, the next day is day 1; a last day on a holiday or weekend moves to the next work day (a make-up working Saturday is a work day).
appeal-convention-after-review = { $days } calendar days: the day the review was decided does not count, the next day is day 1; a last day on a holiday or weekend moves to the next work day (a make-up working Saturday is a work day).
appeal-convention-answer = To be answered within { $days } calendar days: the day the request arrives does not count, the next day is day 1; a last day on a holiday or weekend moves to the next work day. The countdown does not count today.

appeal-refused-not-final = The result is still in publicity; a request can be filed once it is final.
appeal-refused-open = A review or appeal about this result is open; another can be filed once it is decided.
appeal-refused-reviewed = A review of this result was already requested; against its decision you may appeal.
appeal-refused-appealed = This result was already appealed.
appeal-refused-closed = The time limit ended on { $until }; the request can no longer be filed.
appeal-extend-not-appeal = Only an appeal's deadline can be extended.
appeal-extend-decided = It is decided; the deadline can no longer be extended.
appeal-extend-already = The deadline can be extended once only, and it was.
appeal-extend-days = The days must be within the allowed range.

appeals-my-title = My reviews and appeals
appeals-my-intro = If you disagree with your final annual result you may request a review within the time limit; against the review's decision, or without a review, you may appeal within the time limit. State your reasons; you may attach documents.
appeals-my-none = You have no decided annual result yet.
appeal-error-not-yours = Requests can only be filed about your own decided annual result.
appeal-field-grade = Grade
appeal-field-final = Final
appeal-final-since = Final; publicity ended on
appeal-final-after = In publicity until
appeal-field-learned = Learnt on
appeal-learned-none = No written notice yet (the day you file counts as the day you learnt it)
appeal-window-until = may be filed until
appeals-filed = Requests filed
appeal-answer-due = Answer due
appeal-field-kind = Request
appeal-file-review = Request a review
appeal-file-appeal = Appeal
appeal-field-reasons = Reasons
appeal-field-files = Attachments (optional)
appeal-files-hint = PDF, image or Office files, each up to { $size }.
appeal-submit = Submit

appeals-title = Reviews and appeals
appeals-intro = The assessment committee upholds or corrects the result within the deadline; an appeal's deadline may be extended once, with a written reason.
appeals-open = Open
appeals-open-none = No review or appeal is open.
appeals-due-convention = Answer deadlines are in calendar days, the day the request arrives not counted; a last day on a holiday moves to the next work day. Countdowns do not count today; overdue ones are red.
appeals-decided = Decided
appeals-decided-none = No review or appeal decided yet.
appeal-field-person = Filed by
appeal-field-cycle = Cycle
appeal-field-filed = Filed
appeal-field-outcome = Decision
appeal-field-decided = Decided on
appeal-extended = extended
appeal-late = decided late

appeal-conflict = Someone else decided or changed this request meanwhile; look at it again before acting.
appeal-field-review = The review it follows
appeal-field-window = Time limit to file
appeal-extended-from = Deadline extended:
appeal-decision = Decision
appeal-result-version = result version { $count }
appeal-field-new-grade = Corrected grade
appeal-new-grade-hint = Only for a correction: it makes a new version of the result and a new written notice.
appeal-field-decision-reason = Reason for the decision
appeal-decide = Decide
appeal-waiting = Waiting for the assessment committee's decision.
appeal-extend-title = Extend the deadline
appeal-field-extension-days = Days of extension
appeal-extend-hint = { $count ->
    [one] Once only, by at most 1 day, with a written reason.
   *[other] Once only, by at most { $count } days, with a written reason.
}
appeal-field-extension-reason = Reason for the extension
appeal-extend = Extend

appeal-filed-review = Your review request was filed.
appeal-filed-appeal = Your appeal was filed.
appeal-decided-upheld = Decided: the result is upheld.
appeal-decided-corrected = Decided: the result is corrected and a new written notice issued.
appeal-extended-done = The appeal's deadline was extended.

todo-appeals-to-decide = { $count ->
    [one] 1 review or appeal waits for a decision
   *[other] { $count } reviews or appeals wait for a decision
}
todo-appeals-overdue = { $count ->
    [one] 1 review or appeal is past its answer deadline
   *[other] { $count } reviews or appeals are past their answer deadline
}
todo-appeals-answered = { $count ->
    [one] 1 review of yours was decided: you may appeal within the time limit
   *[other] { $count } reviews of yours were decided: you may appeal within the time limit
}
notify-appeal-decided = Your review or appeal of the result of “{ $title }” was decided
