# Roster import: upload, preview, commit.
import-title = Import roster
import-intro = Add people in bulk from an Excel workbook (.xlsx) or a UTF-8 CSV file. Upload it for a preview checked row by row; it can be imported only when every row is correct, and a single wrong row imports nobody.
import-file = Roster file
import-file-hint = .xlsx or UTF-8 CSV, at most 5 MB and 2,000 rows; only the first worksheet is read and its first row is the header.
import-upload = Upload and preview
import-columns = Header and columns
import-column-header = Header (English or Chinese)
import-column-required = Required
import-column-content = What to enter
import-required-yes = Required
import-required-no = Optional
import-samples = Download a sample file to fill in:
import-hint-username = Sign-in name: 2–32 lowercase letters, digits or . _ -, starting with a letter or digit; not used by an existing account or another row.
import-hint-full-name = Full name, at most 40 characters.
import-hint-identity-type = 公务员 (civil servant), 参公 (managed as civil servant), 事业 (institution) or 工勤 (service worker), or the English code.
import-hint-rank = Position and grade, at most 40 characters.
import-hint-department = Name of an active department, exactly as in the system.
import-hint-phone = Phone number, at most 30 characters.
import-hint-post = Post title: the person becomes the A holder of that post in their department; the post is created if it does not exist.

import-file-missing = Choose a file to import (it must not be empty).
import-file-too-large = The file is too large: at most { $name }.
import-file-unsupported = Only Excel workbooks (.xlsx) and UTF-8 CSV files can be imported. Save an old .xls file as .xlsx, and remove any password from the workbook.
import-file-not-utf8 = The file is not UTF-8 encoded. In Excel use "Save as" → "CSV UTF-8 (comma delimited)", or upload the .xlsx file instead.
import-file-unreadable = The file could not be read; it may be damaged or password-protected. Save it again and upload it.
import-file-empty = The file has no data rows: the first row must be the header, then one row per person.
import-file-missing-columns = The header lacks required columns: { $name }.
import-file-too-many-rows = Too many rows: at most { $name } can be imported at once. Split the file and import the parts one by one.

import-preview-title = Import preview
import-file-name = File: { $name }
import-summary-rows = { $count ->
    [one] 1 data row
   *[other] { $count } data rows
}
import-summary-errors = { $count ->
    [one] , 1 of them with errors
   *[other] , { $count } of them with errors
}
import-column-line = Line
import-column-problems = Check
import-row-ok = Correct
import-commit = { $count ->
    [one] Import 1 person
   *[other] Import { $count } people
}
import-commit-confirm = { $count ->
    [one] Import this person? An account with an initial password is created.
   *[other] Import these { $count } people? An account with an initial password is created for each.
}
import-fix-and-upload = The file has errors, so nobody was imported. Correct the original file as each row says and upload it again; it can be imported only when every row is correct.
import-changed-since-preview = Something changed since the preview (a username was taken or a department deactivated, for example), so nobody was imported. Correct the file and upload it again.
import-upload-again = Upload again

import-error-username-missing = The username is missing.
import-error-username-format = The username must be 2–32 lowercase letters, digits or . _ -, starting with a letter or digit.
import-error-username-repeated = The username is also on another row of the file.
import-error-username-taken = The username is already used by an account in the system.
import-error-full-name-missing = The full name is missing.
import-error-full-name-too-long = The full name is too long (at most 40 characters).
import-error-identity-type-missing = The identity type is missing.
import-error-identity-type-unknown = Unknown identity type: use 公务员, 参公, 事业 or 工勤.
import-error-rank-too-long = The position and grade is too long (at most 40 characters).
import-error-department-missing = The department is missing.
import-error-department-unknown = There is no active department of that name.
import-error-phone-too-long = The phone number is too long (at most 30 characters).
import-error-post-too-long = The post title is too long (at most 60 characters).
import-error-post-repeated = The same post of the same department is on several rows; a post has one A holder.

import-result-title = Import complete
import-result-hand-out = The initial passwords below are shown only this once and are not stored. Print or copy them now and hand each to the person; everyone must change it at first sign-in.
import-initial-password = Initial password
import-result-people = Go to the people list
import-committed = { $name } people imported.
import-already-committed = This file has already been imported; nothing was changed.
