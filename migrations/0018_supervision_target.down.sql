alter table supervision_item drop column target_id;
