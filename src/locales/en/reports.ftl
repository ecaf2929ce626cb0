# Stage 2, monitor: progress reports and their verification.
reports-title = My progress reports
reports-intro = Report the progress of each target period by period, as often as the cycle asks; each report is due { $count ->
    [one] one work day
   *[other] { $count } work days
} after its period ends. While A is away, B reports for A.
reports-none = No target needs a progress report from you now (only approved targets in the implementation stage do).
reports-target = Target
reports-period = Period
reports-period-start = Period from
reports-period-end = Period to
reports-due = Due
reports-timeliness = Timeliness
reports-last-status = Last report
reports-acting-for = Reporting for A: { $name }
reports-other-late = Also late
reports-not-sent = Not sent
reports-correct = Correct
reports-resubmit = Revise and resubmit
reports-view = View
reports-report = Report
reports-no-period = No reporting period has started yet
reports-timeliness-open = Period running
reports-timeliness-due = Due
reports-timeliness-late = Late
reports-timeliness-reported = Sent
reports-field-value = Reported value
reports-field-state = Progress
reports-field-narrative = Progress made
reports-field-problems = Problems
reports-field-next-steps = Next steps
reports-field-files = Evidence files
reports-files-hint = You may choose several files: PDF, images (PNG, JPEG, GIF, WebP) and Office documents, each at most { $size }.
reports-form-title = Report progress
reports-corrects = This report corrects the verified report #{ $name }, which stays as it is.
reports-choose-files-again = Please choose your evidence files again.
reports-completion-hint = The completion rate is worked out from the reported and target values (inverted when less is better).
reports-completion = Completion
reports-send = Send report
reports-detail-title = Progress report
reports-frozen = This report is verified and can no longer change; send a correction instead.
reports-return-reason = Reason for return
reports-audited-value = Audited value
reports-submitted-by = Sent by
reports-decided-by = Decided by
reports-comment = Verifier's comment
reports-corrects-label = Corrects report
reports-corrects-link = See the report it corrects
reports-evidence = Evidence
reports-no-files = No evidence files were uploaded.
reports-verify = Verify
reports-return = Return
reports-history = History
reports-history-at = When
reports-history-by = Who
reports-history-step = Step
reports-history-note = Note
reports-history-none = Nothing yet
reports-of-target = All progress reports of this target
reports-correction = Correction
reports-queue-title = Verify progress
reports-queue-empty = No progress report awaits your verification.
reports-files-count = Files
reports-submitted-at = Sent at
reports-department-late = Late targets in your departments
reports-late-periods = Late periods
reports-action-submitted = Sent
reports-action-corrected = Correction sent
reports-action-resubmitted = Revised and resent
reports-action-verified = Verified
reports-action-returned = Returned
reports-action-other = Other
reports-error-not-open = This target is not open for progress reports (it must be approved, in a cycle under implementation).
reports-error-still-open = This period already has a report that is not verified yet: wait for the verification, or revise and resubmit it once returned.
reports-error-evidence-required = This target requires evidence: attach at least one evidence file.
reports-error-frozen = This report is verified and frozen: it can no longer be verified, returned or changed. Send a correction instead.
reports-error-not-returned = This report awaits verification and was not returned: it cannot be resubmitted.
reports-error-not-submitted = This report was returned and waits for its reporter to resubmit it.
reports-submitted = Progress report sent.
reports-verified = Progress report verified.
reports-returned = Progress report returned.
reports-resubmitted = Progress report resent.
todo-reports-returned = { $count ->
    [one] 1 progress report was returned: revise and resubmit
   *[other] { $count } progress reports were returned: revise and resubmit
}
todo-reports-late = { $count ->
    [one] 1 target has late progress reports
   *[other] { $count } targets have late progress reports
}
todo-reports-to-verify = { $count ->
    [one] 1 progress report awaits your verification
   *[other] { $count } progress reports await your verification
}
todo-reports-department-late = { $count ->
    [one] 1 target in your departments has late progress reports
   *[other] { $count } targets in your departments have late progress reports
}

reports-field-descriptor = Completion
reports-descriptor-hint = A qualitative target's completion follows its descriptor: completed 100%, basically completed 80%, not completed 0.
reports-audited-descriptor = Verified completion
descriptor-completed = Completed
descriptor-basically-completed = Basically completed
descriptor-not-completed = Not completed
reports-late-by-backup = Late while B covered: { $name }
reports-returned-only = { $count ->
    [one] The report below came back; edit it and send it again.
   *[other] The { $count } reports below came back; edit them and send them again.
}
reports-show-all = Show all targets to report on
reports-returned-by = Returned by
