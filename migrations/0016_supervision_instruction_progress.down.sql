drop table supervision_progress;

alter table supervision_item
    drop column registered_on,
    drop column instructed_on,
    drop column instructed_by,
    drop column instruction_doc_no;
