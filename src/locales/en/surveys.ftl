# Members' satisfaction surveys: creating a survey, printing and exporting its links, its results, and the members' answer page.

nav-surveys = Satisfaction surveys
satisfaction-satisfied = Satisfied
satisfaction-basically-satisfied = Basically satisfied
satisfaction-dissatisfied = Dissatisfied
satisfaction-not-known = Don't know

surveys-title = Members' satisfaction surveys
surveys-intro = Members get one-time links and answer anonymously, without an account. A department's (or event's) results are shown once it has the set number of valid answers.
surveys-none = No surveys yet.
surveys-back = Back to the surveys
surveys-back-to-results = Back to the results
survey-new = New survey
survey-create = Create the survey and its links
survey-created = The survey "{ $name }" was created, with a link for each member.
survey-closed = The survey "{ $name }" was closed: its links take no more answers.
survey-close = Close the survey
survey-close-confirm = Every unused link stops working. Close the survey?
survey-close-conflict = Someone changed or closed the survey meanwhile; reload and try again.
survey-kind-year-end = Year-end (each department)
survey-kind-event = Event (one event)
survey-kind-hint = A year-end survey asks about each department ticked below; an event survey asks about the chosen event only, counted for its owner department.
survey-status-open = Open
survey-status-closed = Closed

survey-field-title = Title
survey-field-year = Assessment year
survey-field-kind = Kind
survey-field-departments = Departments assessed
survey-departments-hint = In a year-end survey each ticked department is one item.
survey-field-event = Event assessed
survey-event-hint = For an event survey; events held this year and last year.
survey-field-members = Members asked
survey-members-hint = All { $count } active members unless a filter narrows them: sector, special committee or contact department.
survey-field-sector = Sector
survey-field-committee = Special committee
survey-field-contact-department = Contact department
survey-field-expires = Links' last day
survey-expires-hint = Links work until the end of this day.
survey-field-status = Status
survey-field-answered = Answered / links
survey-error-expiry-past = The last day cannot be before today.
survey-error-no-department = Tick at least one department.
survey-error-no-members = No active member matches these filters.

survey-links = Print the QR codes
survey-links-hint = Print from the browser (A4). One QR code per member; each link works once.
survey-links-note = Scan the QR code or type the link into a phone's browser to answer the satisfaction survey anonymously. Last day:
survey-qr-label = QR code of the answer link
survey-csv = Export for SMS
survey-csv-name = Name
survey-csv-mobile = Mobile
survey-csv-link = Link
survey-csv-expires = Last day

survey-item = Item
survey-valid = Valid answers
survey-index = Satisfaction index
survey-rate = Satisfaction rate
survey-formula = Index = (100 × satisfied + 60 × basically satisfied) ÷ (valid answers − don't know); rate = (satisfied + basically satisfied) ÷ valid answers, "don't know" included in the denominator.
survey-withheld = Withheld: fewer than { $count } answers
survey-scoped = Only your own department's results are shown.
survey-comments = Comments (in text order)
survey-no-comments = No comments.
survey-comments-withheld = Comments are withheld while the survey has fewer than { $count } answers.

answer-intro = Please rate each item below. The answers are anonymous: your name is not recorded.
answer-incomplete = Some items are not rated yet; please complete them and send again.
answer-item-missing = Please choose one answer.
answer-comment = Comments (optional)
answer-anonymous = The link stops working once you send; your answers are tied neither to your name nor to the link.
answer-submit = Send my answers
answer-thanks-title = Thank you
answer-thanks-text = Your answers were recorded anonymously. The link no longer works; there is nothing more to do.

survey-link-unknown-title = Link not valid
survey-link-unknown-text = There is no such answer link. Check that the link is complete, or ask the performance office.
survey-link-used-title = This link has been used
survey-link-used-text = Answers were already sent through this link; each link works once. Thank you for taking part.
survey-link-expired-title = This link has expired
survey-link-expired-text = The link's last day has passed. To answer, please ask the performance office.
survey-link-closed-title = The survey is closed
survey-link-closed-text = This survey is closed and takes no more answers. Thank you for your interest.
survey-too-many-title = Too many requests
survey-too-many-text = Too many requests came from your network; please try again later.
# Excel export of a survey's results (§20.4)
export-satisfaction-title = Satisfaction summary
