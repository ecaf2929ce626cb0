# Stage 4: written notices of final results and feedback interviews.
feedback-show = Show
nav-notices = Result notices
nav-interviews = Feedback interviews
notices-title = Written notices of assessment results
notices-intro = Once an annual result's publicity has ended the result is final and each person receives a written notice; please acknowledge it, adding your opinion if you wish. A result corrected after a review, an appeal or an objection is notified again.
notices-own = My notices
notices-none = No notices yet.
notices-followed = Notices of the departments I follow
notices-waiting-only = Only those not yet acknowledged
notices-none-followed = No notices match.
notice-cycle = Cycle
notice-grade = Grade
notice-score = Score
notice-person = Person
notice-issued-on = Issued on
notice-due-on = Due by
notice-status = Status
notice-version = version { $count }
notice-superseded = Superseded by a newer version
notice-superseded-hint = This result was corrected: the notice of the latest version applies.
notice-acknowledged = Acknowledged
notice-waiting = Waiting for acknowledgement
notice-waited-days = { $count ->
    [0] Waiting since today
    [one] Waiting for one day
   *[other] Waiting for { $count } days
}
notice-issued-late = Notified late
notice-issued-in-time = Notified in time
notice-due-convention = Notified within { $count } work days of the day the result became final or was corrected; that day does not count, holidays do not count, swapped working days do.
notice-letter-title = Notice of the annual assessment result
notice-letter-body = Decided by the assessment committee and published for the required period, your annual assessment result is:
notice-corrected = Corrected
notice-rights = If you disagree with the result, you may ask for a review, or appeal directly, counting from the day you learnt the result.
notice-clock-convention = These periods count calendar days: the day after you learnt the result is day 1; a period ending on a holiday ends on the first work day after it.
notice-signature = Signature:
notice-signed-online = acknowledged online on
notice-opinion = Opinion:
notice-print = Print the notice
notice-opinion-field = Your opinion (optional)
notice-opinion-hint = It cannot be changed once acknowledged. To contest the result, ask for a review or appeal.
notice-acknowledge = Acknowledge
notice-acknowledged-already = This notice was acknowledged already.
notice-versions = Versions of the result
notice-version-no = Version
notice-version-source = Source
notice-version-reason = Reason
notice-source-decision = Decision of the assessment committee
notice-source-objection = Objection in publicity
notice-source-review = Review
notice-source-appeal = Appeal
interviews-title = Feedback interviews
interviews-intro = Once the annual result is final, the head of department (for a head, the supervising leader) talks it over with the person: strengths, gaps, improvement goals and agreed actions. The interviewer's note is seen by the interviewer alone.
interviews-about-me = My interviews
interviews-none = No interviews yet.
interviews-to-hold = Interviews I hold
interviews-no-final-cycle = No annual cycle has final results yet.
interviews-none-to-hold = Nobody for you to interview in this cycle.
interview-title = Feedback interview
interview-state-none = Not scheduled
interview-state-scheduled = Scheduled
interview-state-recorded = Waiting for confirmation
interview-state-confirmed = Confirmed
interview-day = Day
interview-time = Time
interview-place = Place
interview-when = When
interview-schedule = Schedule the interview
interview-interviewer = Interviewer
interview-held-on = Held on
interview-record = Record
interview-record-form = Record the interview
interview-strengths = Strengths and achievements
interview-gaps = Gaps
interview-goals = Improvement goals
interview-actions = Agreed actions
interview-private-note = Interviewer's note (for you alone)
interview-private-note-hint = The person never sees this note, on no page and in no export.
interview-save-record = Save the record
interview-confirmed-at = Confirmed on
interview-comment = Comment
interview-comment-field = Your comment (optional)
interview-comment-hint = You may add a comment as you confirm the record.
interview-confirm = Confirm the record
interview-scheduled = The interview is scheduled.
interview-recorded = The record is saved.
interview-confirmed = You confirmed the record.
interview-held-already = This interview was held already and cannot be moved.
interview-error-person = Choose a person whose final result you interview.
interview-error-stale = The record changed or was confirmed since you opened it: read it again and retry.
todo-notices-to-acknowledge = Result notices to acknowledge: { $count }
todo-notices-waiting = Result notices not yet acknowledged: { $count }
todo-interviews-to-confirm = Interview records to confirm: { $count }
todo-interviews-to-hold = Scheduled interviews to record: { $count }
nav-feedback-board = Feedback board
feedback-board-title = Feedback board
feedback-board-year = Results of
feedback-board-intro = How well the feedback on the year's results went: written notices in time, reviews and appeals decided in time, rectification closed out in time.
feedback-measure = Measure
feedback-in-time = In time
feedback-late = Late
feedback-rate = In time (%)
feedback-waiting-overdue = Open and overdue
feedback-measure-notices = Written notices of results
feedback-notices-waiting = { $count ->
    [one] one notice not yet acknowledged
   *[other] { $count } notices not yet acknowledged
}
feedback-measure-rectification = Rectification closed out
feedback-rectification-due-in = due in { $count }
feedback-overdue = { $count ->
    [one] one item overdue
   *[other] { $count } items overdue
}
feedback-board-conventions = Notices count work days (the day the result became final does not count); reviews and appeals count calendar days (the starting day does not count, a last day on a holiday moves to the next work day); rectification counts calendar days and is overdue from the day after its due date.
feedback-rectification-by-department = Rectification by department
feedback-department = Department
feedback-open-overdue = Open, overdue
feedback-open-not-due = Open, not yet due
notice-issuer = The assessment committee of the office
history-rectification = Rectification
history-no-rectification = No rectification items concern this person.
history-rectification-item = Item
history-rectification-source = Raised from
history-rectification-due = Due
history-rectification-overdue = Overdue
history-appeals = Reviews and appeals
history-no-appeals = No reviews or appeals.
history-appeal-open = Open
feedback-measure-appeals = Reviews and appeals decided in time
feedback-appeals-overdue = { $count ->
    [one] one request overdue
   *[other] { $count } requests overdue
}
feedback-appeals-open = { $count ->
    [one] one request open
   *[other] { $count } requests open
}
notice-clock-review = A review: within { $count } days of learning the result.
notice-clock-appeal = A direct appeal: within { $count } days of learning the result; an appeal after a review counts from the review decision.
notice-to-appeals = Ask for a review or appeal
todo-proposals-to-decide = Use-of-results proposals to decide: { $count }
todo-proposals-basis-changed = Confirmed use-of-results records whose basis changed: { $count }
# Excel exports of the feedback lists (§20.4)
export-notices-title = Notices and acknowledgements
notice-waited = Days waiting
notice-acknowledged-on = Acknowledged on
