nav-excellence = 卓越绩效自评
