# Stage 2, monitor: the bonus/penalty ledger (加减分) and service commitment cases.
ledger-title = Bonus and penalty records
ledger-intro = Department heads propose bonuses and penalties for their departments and people; the performance office for any department or person. Points come from the standard list and cannot be changed. Every record states its reason and carries evidence when its item asks for it; it counts once the performance office accepts it.
ledger-own-intro = The bonus and penalty records about you, to read only.
ledger-new = Propose a record
ledger-items-title = Bonus and penalty items
ledger-items-new = New item
ledger-items-edit = Edit item
ledger-items-intro = The performance office keeps the items and their points; departments choose an item when they propose a record and cannot change its points.
ledger-field-text = Item
ledger-field-points = Points
ledger-field-cap = Cap
ledger-field-evidence-required = Evidence required
ledger-no-cap = No cap
ledger-evidence-yes = Yes
ledger-evidence-no = No
ledger-points-hint = Positive for a bonus, negative for a penalty; at most two decimals; not 0.
ledger-cap-hint = The most a department or person can gain (or lose) from this item in total, as an absolute value; empty for no cap.
ledger-item-saved = Item “{ $name }” saved
ledger-field-subject = Subject
ledger-field-person = Person
ledger-field-item = Item
ledger-field-occurred-on = Date
ledger-field-reason = Reason
ledger-field-proposed-by = Proposed by
ledger-field-reviewed-by = Reviewed by
ledger-field-review-note = Review note
ledger-field-evidence = Evidence
ledger-field-records = Accepted records
ledger-field-total = Total points
ledger-proposed-by-system = Proposed by the system
ledger-subject-hint = Choose a department or a person (one of them, not both).
ledger-points-fixed-hint = The points are the chosen item's and cannot be changed.
ledger-evidence-hint = You may choose several files of at most { $size } each: PDF, images or Office documents.
ledger-evidence-again = For security, please choose the files again.
ledger-evidence-none = No evidence attached.
ledger-propose = Propose
ledger-record-title = Bonus or penalty record
ledger-record-proposed = Record proposed; it waits for the performance office's review
ledger-review-title = Review
ledger-note-hint = A rejection needs a note.
ledger-accept = Accept
ledger-reject = Reject
ledger-record-accepted = Record accepted
ledger-record-rejected = Record rejected
ledger-already-reviewed = This record has been reviewed already
ledger-review-own = You proposed this record: another member of the performance office reviews it.
ledger-totals-title = Totals
ledger-totals-hint = Accepted records only; each item is held within its own cap, and each year's additions together within that year's commendation cap (5 points unless the rule settings say otherwise).
ledger-totals-departments = Per department
ledger-totals-people = Per person
cases-title = Service commitment kept: { $name }
cases-sheet-title = Service commitment kept
cases-back = Back to service commitments
cases-standard = Standard
cases-time-limit = Time limit
cases-workdays = { $count ->
    [one] { $count } work day
   *[other] { $count } work days
}
cases-kept-rate = Fulfilment rate
cases-rate-none = No case done or overdue yet
cases-intro = Time limits count work days (holidays and swapped working days follow the work-day calendar). A case done late, or still open after its deadline, breaks the commitment: the system then proposes the broken-commitment penalty for the commitment's department, for the performance office to review.
cases-none = No case recorded yet.
cases-new = Record a case
cases-record = Record
cases-done-hint = Leave empty while the case is open; fill in the day it is done.
cases-link = Kept or broken
cases-view = Cases and kept-rate
case-state-kept = Kept
case-state-broken = Broken
case-state-open = Open
case-field-subject = Case
case-field-received-on = Received
case-field-deadline = Deadline
case-field-done-on = Done
case-field-recorded-by = Recorded by
case-set-done = Save done date
case-penalty-link = Penalty proposed
case-saved = Case saved
case-saved-penalty = Case saved; it broke the commitment, so the system proposed a penalty for the performance office to review
todo-ledger-to-review = { $count ->
    [one] 1 bonus/penalty record waits for your review
   *[other] { $count } bonus/penalty records wait for your review
}
todo-cases-overdue = { $count ->
    [one] 1 service commitment case is past its deadline and still open
   *[other] { $count } service commitment cases are past their deadline and still open
}
