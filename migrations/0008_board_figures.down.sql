drop table board_figures;
