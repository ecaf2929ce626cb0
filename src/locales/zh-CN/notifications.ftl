# Notifications and their messages (raised by changes and by the background task).
notifications-title = 通知
notifications-none = 暂无通知。
notifications-new = 新
notifications-read-all = 全部标为已读
notifications-all-read = 已全部标为已读。
notify-plan-returned = 您在“{ $title }”中的目标被退回，请修改后重新提交
notify-report-late = 目标“{ $title }”的进度报告已逾期（应于 { $date } 前填报）
notify-report-late-acting = 您代 A 角（{ $name }）填报的目标“{ $title }”进度报告已逾期（应于 { $date } 前填报）
notify-report-returned = 您的进度报告“{ $title }”被退回，请修改后重新提交
notify-slip-issued = 督办事项“{ $title }”收到{ $name }，请在 { $date } 前答复
notify-post-vacant = 岗位“{ $title }”A、B 角均不在岗（空岗），请安排人员
notify-signin-failures = 您的账号短时间内有 { $count } 次登录失败：如非本人操作，请修改密码并告知系统管理员
