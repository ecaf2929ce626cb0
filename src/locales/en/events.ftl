# Work systems: meetings, research trips, inspections, members' activities (docs/DOMAIN.md §18.2)
events-title = Meetings and activities
events-new = New event
events-edit = Edit plan
events-none = No events of the year match.
events-created = Event created: { $name }
events-saved = Event saved: { $name }
event-kind-meeting = Meeting
event-kind-research = Research trip
event-kind-inspection = Inspection
event-kind-activity = Members' activity
event-status-planned = Planned
event-status-held = Held
event-status-closed = Closed
event-status-cancelled = Cancelled
events-field-year = Year
events-field-kind = Kind
events-field-title = Title
events-field-topic = Topic
events-field-dates = Dates
events-field-starts-on = Starts on
events-field-ends-on = Ends on
events-field-place = Place
events-field-department = Owner department
events-field-co-departments = Co-departments
events-co-short = With
events-field-target = Linked target
events-target-hint = Optional: an approved target of the owner department in a cycle not yet closed; once held, the event is reported as progress on it.
events-field-suggestions = Suggestions adopted
events-field-summary = Output summary or report
events-tasks-open = Open tasks
events-error-ends-before-start = The end date cannot be before the start date.
events-error-co-department-is-owner = The owner department cannot also be a co-department.
events-error-stale = Someone else changed this event; reload it and try again.
events-error-status = This step is not possible in the event's current status.
events-cancel = Cancel event
events-close = Close
events-cancelled = The event was cancelled.
events-closed = The event was closed.
events-progress-report = progress report raised
events-tasks = Preparation tasks
events-tasks-none = No preparation tasks yet.
events-task-title = Task
events-task-department = Responsible department
events-task-department-default = The owner's department
events-task-department-hint = Left empty: the owner's department.
events-task-add = Add a preparation task
events-task-added = Preparation task added.
events-task-done = Task marked done.
events-owner = Owner
events-due-on = Due on
events-clock = Clock
events-mark-done = Mark done
events-clock-done-on-time = Done on time
events-clock-done-late = { $count ->
    [one] Done { $count } work day late
   *[other] Done { $count } work days late
}
events-clock-due-today = Due today
events-clock-left = { $count ->
    [one] { $count } work day left
   *[other] { $count } work days left
}
events-clock-late = { $count ->
    [one] Late by { $count } work day
   *[other] Late by { $count } work days
}
events-members = Members
events-members-count = Invited: { $count }
events-attended-count = Attended: { $count }
events-attended = Attended
events-attendance-save = Save attendance
events-attendance-saved = Attendance saved.
events-invite = Invite members
events-invited = { $name } members invited.
events-member-sector = Sector
events-member-committee = Special committee
events-output = Output
events-held-on = Recorded as held on
events-mark-held = Record as held, with its output
events-output-edit = Edit the output
events-output-saved = The event's output was saved.
events-held-target-hint = Recording it raises a progress report on the linked target, verified as usual.
events-files = Evidence documents
events-files-none = No documents yet.
events-files-add = Upload documents
events-files-hint = Each file up to { $size }; PDF, images and Office documents.
events-files-added = Documents uploaded.
events-follow-ups = Follow-up items
events-follow-ups-none = No follow-up items yet.
events-follow-up-body = Item
events-follow-up-add = Add a follow-up item
events-follow-up-added = Follow-up item added.
events-follow-up-done = Follow-up item marked done.
todo-event-tasks-late = { $count ->
    [one] { $count } event preparation task is late
   *[other] { $count } event preparation tasks are late
}
todo-event-tasks-due-soon = { $count ->
    [one] { $count } event preparation task is due soon
   *[other] { $count } event preparation tasks are due soon
}
todo-event-follow-ups-late = { $count ->
    [one] { $count } event follow-up item is late
   *[other] { $count } event follow-up items are late
}
