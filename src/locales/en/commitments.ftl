# Service commitments (服务承诺制) and post target templates (岗位目标模板).
# The target category and direction labels are shared with the target pages.
category-key-work = Key work
category-routine = Routine work
category-service-commitment = Service commitment
category-innovation = Innovation
category-supervision = Supervision item
direction-higher-better = Positive indicator (higher is better)
direction-lower-better = Negative indicator (lower is better)

commitments-title = Service commitments
commitments-new = New service commitment
commitments-edit = Edit service commitment
commitments-intro = The services departments and posts publicly promise to members and served bodies, with their standard and time limit in work days.
commitment-field-service = Service
commitment-field-standard = Standard
commitment-field-time-limit = Time limit
commitment-field-time-limit-workdays = Time limit (work days)
commitment-time-limit-days = { $count ->
    [one] 1 work day
   *[other] { $count } work days
}
commitment-time-limit-hint = In work days, 1–365 (by the office's work-day calendar, holidays excluded).
commitment-error-time-limit = The time limit must be a whole number of work days from 1 to 365.
commitment-whole-department = (whole department)
commitment-post-hint = Leave the post empty for a commitment of the whole department.
commitment-error-post-department = The chosen post does not belong to the chosen department.
commitment-saved = Service commitment “{ $name }” saved.

post-templates-link = Target templates
templates-title = Post target templates
templates-intro = The targets this post usually carries. A holder's targets are pre-filled from them and can then be changed.
templates-back-to-posts = Back to posts
templates-none = This post has no target templates yet.
templates-add = Add target template
templates-edit = Edit target template
templates-delete = Delete
templates-delete-confirm = Delete this target template? Targets already made from it are not affected.
templates-weight-total = Weight total
templates-weight-complete = Totals 100
templates-weight-not-100 = Weights should total 100
template-field-title = Target
template-field-category = Category
template-field-measure = Measure
template-field-unit = Unit
template-field-target-value = Target value
template-field-direction = Direction
template-field-weight = Weight (%)
template-field-quality-requirement = Quality requirement
template-field-assessment-method = Assessment method
template-field-evidence-required = Evidence required
template-target-value-hint = A number with at most two decimals, e.g. 98 or 98.5; optional.
template-weight-hint = 0–100, at most two decimals.
template-error-decimal = Enter a number with at most two decimals, e.g. 98 or 98.5.
template-error-weight = The weight must be a number from 0 to 100 with at most two decimals.
post-template-saved = Target template “{ $name }” saved.
post-template-deleted = Target template “{ $name }” deleted.
