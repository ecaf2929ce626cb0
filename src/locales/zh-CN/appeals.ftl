# 复核与申诉：本人对已生效的年度考核结果申请复核、提出申诉，考核委员会在期限内作出决定。

nav-appeals-my = 我的复核与申诉
nav-appeals = 复核与申诉办理
appeal-kind-review = 复核
appeal-kind-appeal = 申诉
appeal-outcome-upheld = 维持原结果
appeal-outcome-corrected = 更正结果

appeal-countdown-left = 还剩 { $count } 天
appeal-countdown-today = 今天是最后一天
appeal-countdown-overdue = 已逾期 { $count } 天
appeal-convention-learned = 期限 { $days } 日，按自然日计算：知道考核结果（收到书面通知）的当日不计入，次日为第 1 日；最后一日为节假日的，顺延至节假日后的第一个工作日（调休上班日算工作日）。
appeal-convention-after-review = 期限 { $days } 日，按自然日计算：复核决定作出的当日不计入，次日为第 1 日；最后一日为节假日的，顺延至节假日后的第一个工作日（调休上班日算工作日）。
appeal-convention-answer = 办理期限 { $days } 日，按自然日计算：收到申请的当日不计入，次日为第 1 日；最后一日为节假日的，顺延至下一个工作日。倒计时不计今天。

appeal-refused-not-final = 考核结果尚在公示期内，生效后方可申请。
appeal-refused-open = 已有一项复核或申诉正在办理，办结后才能再提出。
appeal-refused-reviewed = 该结果已申请过复核；对复核决定不服的，可以提出申诉。
appeal-refused-appealed = 该结果已提出过申诉。
appeal-refused-closed = 期限已于 { $until } 届满，不能再提出。
appeal-extend-not-appeal = 只有申诉可以延长办理期限。
appeal-extend-decided = 已作出决定，不能再延长。
appeal-extend-already = 办理期限只能延长一次，已经延长过。
appeal-extend-days = 延长天数须在允许范围内。

appeals-my-title = 我的复核与申诉
appeals-my-intro = 对已生效的本人年度考核结果不服的，可以在期限内申请复核；对复核决定不服的，或不经复核，可以在期限内提出申诉。请写明理由，可附材料。
appeals-my-none = 您还没有已作出决定的年度考核结果。
appeal-error-not-yours = 只能对本人已作出决定的年度考核结果提出。
appeal-field-grade = 考核等次
appeal-field-final = 结果生效
appeal-final-since = 已生效，公示截至
appeal-final-after = 公示期至
appeal-field-learned = 知道结果之日
appeal-learned-none = 尚未收到书面通知（提出之日视为知道结果之日）
appeal-window-until = 可提出至
appeals-filed = 已提出的申请
appeal-answer-due = 答复期限
appeal-field-kind = 申请类型
appeal-file-review = 申请复核
appeal-file-appeal = 提出申诉
appeal-field-reasons = 理由
appeal-field-files = 附件（可选）
appeal-files-hint = 可上传 PDF、图片或 Office 文件，每个不超过 { $size }。
appeal-submit = 提交

appeals-title = 复核与申诉办理
appeals-intro = 考核委员会在期限内对复核、申诉作出维持或更正的决定；申诉的办理期限可书面说明理由延长一次。
appeals-open = 待办理
appeals-open-none = 没有待办理的复核或申诉。
appeals-due-convention = 答复期限按自然日计算，收到申请的当日不计入；最后一日为节假日的顺延至下一个工作日。倒计时不计今天，逾期的以红色标出。
appeals-decided = 已办结
appeals-decided-none = 暂无已办结的复核或申诉。
appeal-field-person = 申请人
appeal-field-cycle = 考核周期
appeal-field-filed = 提出时间
appeal-field-outcome = 决定
appeal-field-decided = 决定日期
appeal-extended = 已延长
appeal-late = 超期办结

appeal-conflict = 该申请已被他人处理或修改，请查看最新情况后再操作。
appeal-field-review = 所针对的复核
appeal-field-window = 提出期限
appeal-extended-from = 办理期限已延长：
appeal-decision = 决定
appeal-result-version = 考核结果第 { $count } 版
appeal-field-new-grade = 更正后的等次
appeal-new-grade-hint = 仅在更正结果时选择；更正将生成新版本的考核结果，重新发出书面通知。
appeal-field-decision-reason = 决定理由
appeal-decide = 作出决定
appeal-waiting = 等待考核委员会作出决定。
appeal-extend-title = 延长办理期限
appeal-field-extension-days = 延长天数
appeal-extend-hint = 只能延长一次，最多 { $count } 日，须书面说明理由。
appeal-field-extension-reason = 延长理由
appeal-extend = 延长期限

appeal-filed-review = 已提交复核申请。
appeal-filed-appeal = 已提交申诉。
appeal-decided-upheld = 已作出决定：维持原结果。
appeal-decided-corrected = 已作出决定：更正结果，并重新发出书面通知。
appeal-extended-done = 已延长申诉的办理期限。

todo-appeals-to-decide = { $count } 项复核或申诉等待办理
todo-appeals-overdue = { $count } 项复核或申诉已超过答复期限
todo-appeals-answered = { $count } 项复核已作出决定，如不服可在期限内提出申诉
notify-appeal-decided = 您对“{ $title }”考核结果提出的复核或申诉已作出决定
