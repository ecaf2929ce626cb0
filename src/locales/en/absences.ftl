# Absences and A/B cover (AB角工作制).
absences-title = Absences
absences-new = Record an absence
absences-none = No absences match.
absences-hint = To correct an entry, withdraw it and record it again. While A is away, the reminders, reports and supervision items of A's post go to B.
absence-field-person = Person
absence-field-kind = Kind
absence-field-leave-kind = Kind of leave
absence-leave-kind-hint = Required for leave: sick and personal leave adding up to over half the year leave the annual assessment without a grade.
absence-field-from = From
absence-field-to = To
absence-field-note = Note
absence-field-recorded-by = Recorded by
absence-field-when = Period
absence-when-all = All active entries
absence-when-current = Current
absence-when-upcoming = Upcoming
absence-when-past = Past
absence-when-withdrawn = Withdrawn
absence-withdraw = Withdraw
absence-withdraw-confirm = Withdraw this entry?
absence-withdrawn = The absence of { $name } was withdrawn.
absence-already-withdrawn = This entry was already withdrawn.
absence-saved = The absence of { $name } was recorded.
absence-error-overlap = Overlaps an absence already recorded for this person ({ $name }): withdraw it first or change the dates
absence-error-order = The end date cannot be before the start date
absence-form-hint = Both the first and the last day are included.
absence-year-title = Days away in the year
absence-year-link = Days in the year
absence-year-field = Year
absence-year-hint = Calendar days of each absence inside the year (withdrawn ones do not count). Sick and personal leave adding up to more than { $count }% of the year leave the annual assessment without a grade.
absence-year-assessment = At assessment
absence-year-no-grade = Sick and personal leave over the limit: no grade
absence-year-none = No absences recorded in this year.
cover-title = A/B cover today
cover-today = Cover of every post on { $name }:
cover-backup-count = { $count ->
    [one] 1 post covered by B
   *[other] { $count } posts covered by B
}
cover-vacant-count = { $count ->
    [one] 1 vacant post
   *[other] { $count } vacant posts
}
cover-a = A (post holder)
cover-b = B (designated backup)
cover-a-away = A away for
cover-a-away-until = A away until
cover-b-away = B away for
cover-b-away-until = B away until
cover-state = Cover
cover-away-until = until { $name }
cover-none = No posts.
cover-hint = While A is away, B covers; with A and B both away the post is vacant and needs cover at once. Posts without an A or B are fixed on the posts page.
cover-holder = A present
cover-backup = B covering
cover-vacant = Vacant post
cover-unstaffed = No A or B assigned
todo-posts-vacant = { $count ->
    [one] 1 post has both A and B away (a vacant post)
   *[other] { $count } posts have both A and B away (vacant posts)
}
cover-away-today = Away today
cover-nobody-away = Nobody is away today.
