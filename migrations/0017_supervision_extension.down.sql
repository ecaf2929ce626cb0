alter table supervision_event
    drop column due_to,
    drop column due_from;

drop table supervision_extension;
