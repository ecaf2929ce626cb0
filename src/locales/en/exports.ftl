# Targets in Excel: the target sheet, background exports, and the target import.
target-sheet-title = Targets
target-sheet-completion = Completion
target-sheet-last-report = Last report
target-sheet-slip = Supervision slip
nav-target-import = Import targets
nav-exports = Exports
board-all-departments = All departments

exports-title = Exports
exports-reload = Refresh
exports-none = No exports yet.
exports-background-hint = The office's whole target list is large: it is built in the background and downloaded from the Exports page when ready.
exports-start-cycle = Export every target of this cycle in the background
exports-start-all = Export every target of all years in the background
exports-all-cycles = All years
exports-error-scope = Choose the cycle to export.
exports-started = The export has started; download it from the list below when it is done.
exports-not-ready = That export is not finished yet, or its file has been removed.
exports-what = Export
exports-requested-at = Requested
exports-state = State
exports-progress = Progress
exports-rows-unit = rows
exports-download = Download
exports-file-removed = File removed
export-state-queued = Queued
export-state-running = Running
export-state-done = Done
export-state-failed = Failed

target-import-title = Import targets
target-import-intro = Enter a department's targets for a cycle (the department's targets and its people's personal targets) from an Excel workbook (.xlsx) or a UTF-8 CSV file. The layout is that of the exported target list, so an exported file can be changed and imported. Upload it for a preview that checks every row; confirm when every row is correct and all targets are written at once — a single row with an error writes nothing.
target-import-no-cycle = No cycle is in planning, so no targets can be imported.
target-import-choice-error = Choose a cycle in planning and a department you may import for.
target-import-file = Target file
target-import-rules = Personal targets go into their owner's plan, department targets into the department's plan; a plan that does not exist yet is opened (as a draft). Submitted or approved plans cannot be imported into, each row must pass the checks before submission (measure, target value, deadline and assessment method, the deadline within the cycle), and each plan's weights may not exceed 100. The cycle, plan status, completion and similar columns are not read.
target-import-hint-department = The department's name: may be left empty; when given it must be the chosen department.
target-import-hint-level = Personal targets or Department targets (or person, department).
target-import-hint-owner = The owner's name: required for personal targets (or the username), optional for department targets.
target-import-hint-username = The owner's username: tells people of the same name apart; with a name, both must be the same person.
target-import-hint-title = The target, at most 200 characters; one person's targets have different titles.
target-import-hint-category = Key work, Routine work, Service commitment, Innovation or Supervision item.
target-import-hint-kind = Quantitative or Qualitative; empty means quantitative.
target-import-hint-measure = The measure, at most 200 characters.
target-import-hint-unit = The unit, at most 20 characters.
target-import-hint-target-value = The target value: required for a quantitative target, empty for a qualitative one; at most two decimals.
target-import-hint-direction = Positive or negative indicator; empty means positive.
target-import-hint-baseline = Last year's actual (baseline), optional; a target below it is flagged as not advanced.
target-import-hint-weight = The weight, 0–100, at most two decimals.
target-import-hint-deadline = The deadline, e.g. 2026-11-30, within the cycle.
target-import-hint-method = The assessment method, at most 1000 characters.
target-import-hint-backup = The B's name, an active person of the department; empty means the B of the owner's post.

target-import-preview-title = Target import preview
target-import-plans = Plans added to
target-import-existing-weight = Weight now
target-import-added = Targets added
target-import-weight-after = Total weight after
target-import-plan-opened = New
target-import-weights-open = A plan is submitted at a total weight of 100
target-import-weights-hint = A plan whose total weight stays below 100 is saved, but it can be submitted only at 100.
target-import-rows = Rows
target-import-fix-and-upload = The file has errors, so no target was written. Correct the original file as each row says and upload it again; it can be confirmed only when every row is correct.
target-import-changed = Something changed since the preview (a plan was submitted or its weights changed, for example), so no target was written. Correct the file and upload it again.
target-import-commit = { $count ->
    [one] Import 1 target
   *[other] Import { $count } targets
}
target-import-commit-confirm = { $count ->
    [one] Import this target?
   *[other] Import these { $count } targets?
}
target-import-committed = Targets imported: { $name }.
target-import-already-committed = That import was confirmed already; nothing was written twice.

target-import-error-other-department = The department is not the one chosen.
target-import-error-level-missing = The level is missing.
target-import-error-level-unknown = The level must be Personal targets or Department targets.
target-import-error-level-not-imported = The office's work points are not imported here.
target-import-error-owner-missing = A personal target needs its owner's name or username.
target-import-error-person-unknown = No active person of the department has that name or username.
target-import-error-person-outside-department = That person belongs to another department.
target-import-error-name-ambiguous = Two people of the department have that name: give the username.
target-import-error-name-mismatch = The name and the username are of different people.
target-import-error-not-participant = That person does not take part in the cycle.
target-import-error-department-not-participating = Nobody of the department takes part in the cycle, so it has no department plan.
target-import-error-title-missing = The target's title is missing.
target-import-error-title-too-long = The title is too long (at most 200 characters).
target-import-error-title-repeated = The file gives one person two targets of this title.
target-import-error-title-exists = The plan has a target of this title already.
target-import-error-category-missing = The category is missing.
target-import-error-category-unknown = The category must be Key work, Routine work, Service commitment, Innovation or Supervision item.
target-import-error-kind-unknown = The kind must be Quantitative or Qualitative.
target-import-error-measure-missing = The measure is missing.
target-import-error-measure-too-long = The measure is too long (at most 200 characters).
target-import-error-unit-too-long = The unit is too long (at most 20 characters).
target-import-error-value-missing = A quantitative target needs its target value.
target-import-error-value-invalid = The target value must be a number with at most two decimals.
target-import-error-value-for-qualitative = A qualitative target has no target value.
target-import-error-direction-unknown = The direction must be a positive or a negative indicator.
target-import-error-baseline-invalid = Last year's actual must be a number with at most two decimals.
target-import-error-weight-missing = The weight is missing.
target-import-error-weight-invalid = The weight must be a number from 0 to 100 with at most two decimals.
target-import-error-deadline-missing = The deadline is missing.
target-import-error-deadline-invalid = The deadline is not a date (e.g. 2026-11-30).
target-import-error-deadline-outside-cycle = The deadline is outside the cycle.
target-import-error-method-missing = The assessment method is missing.
target-import-error-method-too-long = The assessment method is too long (at most 1000 characters).
target-import-error-backup-unknown = The B must be one active person of the department.
target-import-error-backup-is-owner = The B cannot be the owner.
target-import-error-plan-not-editable = The plan is submitted or approved, so nothing is imported into it; it changes through its approval or a change request.
target-import-error-weights-over-100 = The plan's weights would add up to more than 100.
target-import-error-cycle-not-in-planning = The cycle is no longer in planning.
