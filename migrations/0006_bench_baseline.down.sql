drop table bench_fortune;
