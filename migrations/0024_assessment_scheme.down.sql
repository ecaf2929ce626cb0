drop table cycle_scheme;
drop table assessment_scheme;
drop function assessment_scheme_immutable();
