# The register of CPPCC members (政协委员): list, form, import.
nav-members = CPPCC members
members-title = Register of CPPCC members
members-new = New member
members-edit = Edit member
members-import = Import register
members-saved = Member “{ $name }” saved.
members-search = Name
members-count-active = { $count ->
    [one] 1 member serving
   *[other] { $count } members serving
}
members-count-inactive = , { $count } no longer serving
members-shown = Shown with these filters: { $count }
members-field-sector = Sector
members-field-committee = Special committee
members-field-contact = Contact department
members-field-term = Term
members-field-mobile = Mobile
members-field-active = Serving (untick to deactivate; it can be undone)
members-committee-none = On no special committee
members-committee-hint = Leave empty for a member on no special committee.
members-mobile-hint = An 11-digit mobile number, for survey text messages; leave empty when unknown.
members-error-mobile = A mobile number is 11 digits starting with 1.

members-import-title = Import the register of members
members-import-intro = Add or update members in bulk from an Excel workbook (.xlsx) or a UTF-8 CSV file. Upload to preview every row checked; on confirming, the rows without problems are written in one transaction and rows with problems are left out.
members-import-file = Register file
members-import-rules = All six columns must be in the header; special committee, contact department and mobile may be empty. A member of the register with the same name and sector is the same person and is updated from the file (whether they serve is unchanged); every other row adds a serving member.
members-import-hint-full-name = Name, at most 40 characters; required.
members-import-hint-sector = Sector (界别), e.g. 经济界 or 民建, at most 40 characters; required.
members-import-hint-committee = The special committee, e.g. 提案委员会; empty for none.
members-import-hint-department = The department that keeps in touch, exactly as an active department is named; may be empty.
members-import-hint-term = Term, e.g. 第十五届; required.
members-import-hint-mobile = An 11-digit mobile number starting with 1; may be empty.
members-import-preview-title = Register import preview
members-import-plan-create = To add: { $count }
members-import-plan-update = ; to update: { $count }
members-import-rows-left-out = { $count ->
    [one] 1 row has problems and will be left out on confirming.
   *[other] { $count } rows have problems and will be left out on confirming.
} You may correct the file and upload it again.
members-import-row-adds = Adds
members-import-row-updates = Updates a member
members-import-commit = { $count ->
    [one] Import 1 row
   *[other] Import { $count } rows
}
members-import-commit-confirm = { $count ->
    [one] Import this row?
   *[other] Import these { $count } rows?
}
members-import-committed = Members imported: { $name }.
members-import-already-committed = This file was imported already; nothing was imported again.

members-import-error-full-name-missing = Name missing.
members-import-error-full-name-too-long = Name too long (at most 40 characters).
members-import-error-sector-missing = Sector missing.
members-import-error-sector-too-long = Sector too long (at most 40 characters).
members-import-error-committee-too-long = Special committee too long (at most 40 characters).
members-import-error-department-unknown = No active department of that name.
members-import-error-term-missing = Term missing.
members-import-error-term-too-long = Term too long (at most 20 characters).
members-import-error-mobile = A mobile number is 11 digits starting with 1.
members-import-error-repeated = Same name and sector as another row of the file.
members-import-error-ambiguous = Several members of the register have this name and sector, so the row cannot tell which to update. Edit them on their pages.
