# Shell, navigation, home, sign-in, errors.
app-name = CPPCC Office Performance
skip-to-content = Skip to content
switch-language = 中文
nav-label = Main navigation
nav-home = My to-dos
nav-departments = Departments
nav-people = People
nav-posts = Posts
nav-import = Import
nav-audit = Audit log
nav-password = Change password
sign-out = Sign out
footer-text = CPPCC office performance management · plan → monitor → assess → feedback

home-title = My to-dos
home-nothing-waiting = Nothing is waiting for you right now.
home-discipline-title = Discipline inspection (机关纪委)
home-discipline-later = Record disciplinary actions (处分), accountability measures (问责) and investigations (立案审查) with the period each is in force: at assessment they decide who may be rated excellent and who gets no grade. The integrity (廉) score arrives with the rater ballots.
home-discipline-records = Discipline records: enter, correct, withdraw
home-discipline-reads = What you can read today (read-only):
home-discipline-ledger = The ledger: every department's and person's bonus and penalty records
home-discipline-commitments = Service commitments and their cases
todo-set-own-password = Set a password of your own (you still have the initial one)
todo-posts-flagged = { $count ->
    [one] 1 post has no B backup or the same person as A and B: please adjust
   *[other] { $count } posts have no B backup or the same person as A and B: please adjust
}
login-title = Sign in
login-submit = Sign in
login-refused = Wrong username or password.
login-held = Too many failed attempts from here. Wait a little and try again: each further failure doubles the wait.
field-username = Username
field-password = Password

password-title = Change password
password-forced = An administrator reset your password. Set a new one to continue.
password-rules = At least 10 characters, not containing your username. Changing it signs you out on every other device.
field-current-password = Current password
field-new-password = New password
field-confirm-password = Confirm new password
password-submit = Change password
password-changed = Password changed; your other sessions have ended.
error-wrong-password = The current password is wrong.

error-back-home = Back to the home page
error-forbidden-title = Not allowed
error-forbidden-text = Your roles do not allow this. Ask the system administrator if you need access.
error-not-found-title = Page not found
error-not-found-text = The page does not exist or has been removed.
error-csrf-title = Request refused
error-csrf-text = The page expired or the request came from an untrusted origin. Reload the page and try again.
error-bad-request-title = Invalid request
error-bad-request-text = What was sent could not be understood. Go back and fill the form again.
error-unprocessable-title = Not among your choices
error-unprocessable-text = A value of the form is not one this page offers you. Go back, reload the page and choose again.
error-too-large-title = Too large
error-too-large-text = The upload is larger than allowed.
error-conflict-title = Changed by someone else
error-conflict-text = The record changed while you were editing it. Reload and edit again.
error-unavailable-title = Temporarily unavailable
error-unavailable-text = The system is busy or the database is unreachable. Please try again shortly.
error-internal-title = System error
error-internal-text = Something went wrong; it has been logged. Try again later or contact the administrator.
error-method-title = Not supported
error-method-text = This page does not accept that kind of request.
nav-my-targets = My targets
nav-department-targets = Department targets
nav-overseen = Departments I oversee
nav-queue = Approval queue
nav-plan-board = Plan completeness
nav-commitments = Service commitments
nav-cycles = Cycles
nav-calendar = Work calendar
nav-reports = Progress reports
nav-verify = Verify progress
nav-department-board = Department board
nav-office-board = Office board
nav-supervision = Supervision items
nav-events = Meetings and activities
nav-ledger = Bonus/penalty ledger
nav-absences = Absences and A/B cover
nav-section-plan = Plan
nav-section-monitor = Monitor
nav-section-assess = Assess
nav-section-feedback = Feedback
nav-section-settings = Settings

# Excel exports
export-xlsx = Export to Excel
export-line = Exported { $at } by { $name }
