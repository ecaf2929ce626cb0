# Assessment cycles and the work-day calendar.
cycle-kind-annual = Annual assessment
cycle-kind-quarterly = Routine (quarterly) assessment
cycle-kind-special = Special assessment
stage-planning = Planning
stage-implementation = Implementation
stage-assessment = Assessment
stage-feedback = Feedback
stage-closed = Closed
frequency-monthly = Monthly
frequency-quarterly = Quarterly
calendar-holiday = Holiday
calendar-workday = Make-up working day

cycles-title = Assessment cycles
cycles-new = New cycle
cycles-edit = Edit cycle
cycles-none = No cycles yet.
cycles-back = Back to the list
cycles-participants = People
cycle-saved = Cycle “{ $name }” saved.
cycle-default-name = Annual assessment { $name }
field-cycle-name = Name
field-cycle-kind = Kind
field-cycle-period = Period
field-cycle-stage = Stage
field-period-start = From
field-period-end = To
cycles-stage-dates = Planned end of each stage
cycles-stage-dates-hint = Each no earlier than the one before: planning ≤ implementation ≤ assessment ≤ feedback.
field-planning-until = Planning until
field-implementation-until = Implementation until
field-assessment-until = Assessment until
field-feedback-until = Feedback until
field-report-frequency = Progress reports
field-participants = Participants
cycles-participants-all = All active staff
cycles-participants-chosen = Chosen departments or people
cycles-participants-hint = When chosen, the active staff of the chosen departments and every person chosen by name take part.
cycles-participants-locked = The cycle has left planning; its participants can no longer change.
field-chosen-departments = Chosen departments
field-chosen-people = Chosen people (several allowed)
cycle-error-period-order = The period cannot end before it starts.
cycle-error-implementation-order = Implementation cannot end before planning.
cycle-error-assessment-order = Assessment cannot end before implementation.
cycle-error-feedback-order = Feedback cannot end before assessment.
field-annual-cycle = Annual cycle
field-annual-cycle-hint = A quarterly (平时) cycle belongs to its year's annual cycle; the annual score is computed over its quarters.
cycle-error-annual-only-quarterly = Only a quarterly cycle belongs to an annual cycle.
cycle-error-outside-annual = The quarter's period must lie within the annual cycle's period.
cycle-annual-cycle = Belongs to
cycle-quarters = Quarterly cycles of this year
cycle-error-no-participants = Choose at least one department or person.
cycle-error-wrong-stage = A cycle moves one stage forward, or one stage back.
cycle-error-reason-required = Moving back needs a reason.
cycle-stale-stage = Someone else just changed or moved this cycle. Check its current stage and try again.
cycle-stage-moved = The cycle is now in “{ $name }”.

cycles-stage-bar = Stages
cycles-until = until
cycles-checklist = Before the next stage
cycles-checklist-hint = The checklist informs; the performance office decides whether to move on.
cycles-advance-confirm = Move the cycle to the next stage? This is recorded in the audit log.
cycles-revert = Move back a stage
cycles-revert-hint = Say why; the reason is recorded in the audit log.
field-revert-reason = Reason
cycles-participant-count = { $count ->
    [one] 1 person
   *[other] { $count } people
}
cycles-no-participants = Nobody takes part yet.
cycles-history = History
cycles-history-at = Time
cycles-history-actor = By
cycles-advance-to = Move on to “{ $name }”
cycles-revert-to = Move back to “{ $name }”
cycles-check-attention = Check
cycles-check-ok = OK
cycles-history-stages = Stages
cycles-history-action = Action
cycle-history-created = Created
cycle-history-updated = Edited
cycle-history-stage-changed = Stage changed
cycle-history-other = Other
cycle-check-participants = { $count ->
    [one] 1 participant
   *[other] { $count } participants
}
cycle-check-people-without-set = { $count ->
    [one] 1 person has no targets yet
   *[other] { $count } people have no targets yet
}
cycle-check-people-not-approved = { $count ->
    [one] 1 person has targets not yet approved (draft, submitted or returned)
   *[other] { $count } people have targets not yet approved (draft, submitted or returned)
}
cycle-check-departments-not-approved = { $count ->
    [one] 1 department has no approved department targets
   *[other] { $count } departments have no approved department targets
}
cycle-check-approved-sets = { $count ->
    [one] 1 approved target set
   *[other] { $count } approved target sets
}
cycle-check-pending-changes = { $count ->
    [one] 1 target change request is waiting for a decision
   *[other] { $count } target change requests are waiting for a decision
}

calendar-title = Work calendar
calendar-summary-workdays = { $count ->
    [one] 1 work day in the year
   *[other] { $count } work days in the year
}
calendar-summary-holidays = { $count ->
    [one] 1 holiday set
   *[other] { $count } holidays set
}
calendar-summary-swapped = { $count ->
    [one] 1 swapped working day
   *[other] { $count } swapped working days
}
calendar-rule = Monday to Friday are work days, Saturday and Sunday are not; the days below override that rule.
calendar-helper = Count work days
field-helper-from = From
field-helper-days = Work days
calendar-helper-submit = Count
calendar-helper-answer = { $count ->
    [one] 1 work day after { $from } is { $to }
   *[other] { $count } work days after { $from } is { $to }
}
calendar-add = Add or change a day
field-calendar-date = Date
field-calendar-kind = Kind
field-calendar-name = Name
calendar-add-hint = A swapped working day must fall on a Saturday or Sunday; a holiday may fall on any day (on a weekend it changes no count, but the official schedule lists it); a day already set is replaced.
calendar-error-workday-on-weekday = A swapped working day must fall on a Saturday or Sunday.
calendar-overrides = Holidays and swapped working days
calendar-none = Nothing set for this year.
calendar-month = { $count ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
calendar-weekday = Weekday
calendar-weekday-1 = Mon
calendar-weekday-2 = Tue
calendar-weekday-3 = Wed
calendar-weekday-4 = Thu
calendar-weekday-5 = Fri
calendar-weekday-6 = Sat
calendar-weekday-7 = Sun
calendar-remove = Remove
calendar-remove-confirm = Remove the setting of this day?
calendar-day-saved = { $name } saved.
calendar-day-removed = { $name } removed.
calendar-day-missing = That day had no setting to remove.
calendar-gaps = These years, which open cycles' deadlines run into, have no calendar entries yet, so every Monday to Friday counts as a work day: enter their official schedule.
cycle-calendar-gaps = This cycle's dates and deadlines run into years without work-calendar entries (every Monday to Friday counts as a work day there): enter their official schedule on the calendar page.
cycle-history-member-added = Participant added
cycle-history-member-removed = Participant removed
cycle-history-members-transferred = Transferred participants assessed by their department at the period's end
cycles-members-frozen-hint = The participants were fixed when the cycle left planning. Add or remove someone who joins or leaves during the cycle; each change is recorded in the history.
cycles-member-add = Add a participant
cycles-member-remove = Remove a participant
cycles-member-add-button = Add
cycles-member-remove-button = Remove
cycle-member-not-offered = Choose one of the people offered.
cycle-member-added = { $name } now takes part in the cycle.
cycle-member-removed = { $name } no longer takes part in the cycle.
