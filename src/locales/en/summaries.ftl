# Stage 3, assess: self-summaries (个人总结) and duty reports (述职报告).
nav-my-assessment = My assessment
nav-summaries = Summaries to review
my-assessment-title = My assessment
my-assessment-intro = The cycles in assessment you take part in. Write and submit your self-summary (a duty report if you head your department) by the due date.
my-assessment-none = No cycle in assessment asks you for a summary now.
summary-kind-personal = Self-summary
summary-kind-duty-report = Duty report
summary-status-none = Not written
summary-status-draft = Draft
summary-status-submitted = Submitted
summary-status-returned = Returned
summary-status-accepted = Accepted
summary-late = Late
summary-open = Open
summary-review = Review
summary-field-kind = Kind
summary-field-status = Status
summary-field-due = Due
summary-field-person = Name
summary-field-body = Summary
summary-field-submitted-at = Submitted
summary-field-decided-by = Reviewed by
summary-field-return-reason = Reason for return
summary-body-hint = { $count ->
    [one] At most 1 character.
   *[other] At most { $count } characters.
} Save a draft as often as you like; once submitted, your head (for a duty report, the supervising leader) reviews it.
summary-save-draft = Save draft
summary-submit = Submit
summary-submit-confirm = Once submitted it cannot be changed unless it is returned. Submit?
summary-saved = Draft saved
summary-submitted = Summary submitted
summary-returned-because = Your summary was returned. Reason:
summary-empty = (nothing written yet)
summary-references = Verified target results of the period (for reference)
summary-references-hint = Your targets in this period with their latest verified values, to write beside.
summary-references-none = You own no target in this period.
summary-ref-target = Target
summary-ref-target-value = Target value
summary-ref-verified = Verified value
summary-ref-as-of = as of
summary-ref-not-verified = Not verified yet
summary-ref-completion = Completion
summaries-title = Summaries to review
summaries-intro = The participants of cycles in assessment in the departments you head or oversee, with their summaries. A head reviews the staff's self-summaries, the supervising leader hears the head's duty report; nobody reviews their own. Each line also shows how many of the ballots about the person are cast (counts only, never who).
summaries-none = No cycle in assessment, or no participant, in your departments.
summary-decide = Review
summary-accept = Accept
summary-return = Return
summary-return-hint = A return needs a reason; the author sees it, revises and submits again.
summary-accepted = Summary of { $name } accepted
summary-returned = Summary of { $name } returned
summary-error-wrong-stage = Summaries are written and reviewed only while the cycle is in the assessment stage.
summary-error-wrong-status = The summary's status does not allow this step.
summary-error-reason-required = A return needs a reason.
summary-error-empty = A submitted summary cannot be empty.
summary-error-too-long = Longer than the limit.
todo-summary-to-write = { $count ->
    [one] 1 summary to write and submit
   *[other] { $count } summaries to write and submit
}
todo-summary-returned = { $count ->
    [one] 1 summary was returned: revise and submit it again
   *[other] { $count } summaries were returned: revise and submit them again
}
todo-summary-late = { $count ->
    [one] 1 summary is past its due date and not submitted
   *[other] { $count } summaries are past their due date and not submitted
}
todo-summaries-to-review = { $count ->
    [one] 1 summary waits for your review
   *[other] { $count } summaries wait for your review
}
todo-summaries-late = { $count ->
    [one] 1 summary you review is late
   *[other] { $count } summaries you review are late
}
notify-summary-returned = Your summary in “{ $title }” was returned: revise and submit it again
overview-ballots = Ballots about them (cast / due)
overview-ranking = See the ranking
