alter table supervision_slip drop column charged_to;
