# 委员满意度测评：测评的创建、链接打印与短信导出、结果，以及委员答卷页面。

nav-surveys = 满意度测评
satisfaction-satisfied = 满意
satisfaction-basically-satisfied = 基本满意
satisfaction-dissatisfied = 不满意
satisfaction-not-known = 不了解

surveys-title = 委员满意度测评
surveys-intro = 向委员发送一次性答卷链接，委员无需账号即可匿名答卷。每个处室（或活动）的有效答卷达到规定数量后才显示结果。
surveys-none = 暂无测评。
surveys-back = 返回测评列表
surveys-back-to-results = 返回测评结果
survey-new = 新建测评
survey-create = 创建测评并生成链接
survey-created = 已创建测评“{ $name }”，并为每位委员生成了答卷链接。
survey-closed = 已结束测评“{ $name }”，链接不再接受答卷。
survey-close = 结束测评
survey-close-confirm = 结束后所有未使用的链接都将失效，确定结束吗？
survey-close-conflict = 测评已被他人修改或已结束，请刷新后重试。
survey-kind-year-end = 年终测评（评价各处室）
survey-kind-event = 活动测评（评价一项活动）
survey-kind-hint = 年终测评按下方勾选的处室逐项评价；活动测评只评价所选活动，结果计入其牵头处室。
survey-status-open = 进行中
survey-status-closed = 已结束

survey-field-title = 测评名称
survey-field-year = 考核年度
survey-field-kind = 测评类型
survey-field-departments = 被评价处室
survey-departments-hint = 年终测评时，每个勾选的处室为一个评价项目。
survey-field-event = 被评价活动
survey-event-hint = 活动测评时选择；列出本年度和上一年度已举办的活动。
survey-field-members = 参评委员
survey-members-hint = 默认向全部 { $count } 位在册委员发送；可按界别、专门委员会或联系处室筛选。
survey-field-sector = 界别
survey-field-committee = 专门委员会
survey-field-contact-department = 联系处室
survey-field-expires = 链接截止日期
survey-expires-hint = 截止日期当天仍可答卷，之后链接失效。
survey-field-status = 状态
survey-field-answered = 已答卷 / 链接数
survey-error-expiry-past = 截止日期不能早于今天。
survey-error-no-department = 请至少勾选一个处室。
survey-error-no-members = 按所选条件没有在册委员，请调整筛选条件。

survey-links = 打印答卷二维码
survey-links-hint = 使用浏览器打印（A4 纸）。每位委员一个二维码，扫码即可答卷；每个链接只能使用一次。
survey-links-note = 扫描二维码或在手机浏览器中输入链接，匿名填写满意度测评。截止日期：
survey-qr-label = 答卷链接二维码
survey-csv = 导出短信发送表
survey-csv-name = 姓名
survey-csv-mobile = 手机号码
survey-csv-link = 答卷链接
survey-csv-expires = 截止日期

survey-item = 评价项目
survey-valid = 有效答卷
survey-index = 满意度指数
survey-rate = 满意率
survey-formula = 满意度指数 =（100 × 满意 + 60 × 基本满意）÷（有效答卷 − 不了解）；满意率 =（满意 + 基本满意）÷ 有效答卷，不了解计入分母。
survey-withheld = 暂不显示：有效答卷少于 { $count } 份
survey-scoped = 仅显示您所在处室的评价结果。
survey-comments = 意见建议（按内容排序）
survey-no-comments = 暂无意见建议。
survey-comments-withheld = 答卷少于 { $count } 份，暂不显示意见建议。

answer-intro = 请对以下各项逐一作出评价。本答卷匿名，不记录您的姓名。
answer-incomplete = 还有项目未作评价，请补充后再提交。
answer-item-missing = 请选择一项评价。
answer-comment = 意见建议（选填）
answer-anonymous = 提交后链接即失效；答卷与您的姓名、链接均不关联。
answer-submit = 提交答卷
answer-thanks-title = 感谢您的评价
answer-thanks-text = 您的答卷已匿名记录。本链接已失效，无需再次填写。

survey-link-unknown-title = 链接无效
survey-link-unknown-text = 未找到该答卷链接，请核对链接是否完整，或联系机关绩效办。
survey-link-used-title = 该链接已使用
survey-link-used-text = 该链接已提交过答卷，每个链接只能使用一次。感谢您的参与。
survey-link-expired-title = 链接已过期
survey-link-expired-text = 该答卷链接已超过截止日期。如需答卷，请联系机关绩效办。
survey-link-closed-title = 测评已结束
survey-link-closed-text = 本次测评已结束，不再接受答卷。感谢您的关注。
survey-too-many-title = 访问过于频繁
survey-too-many-text = 来自您所在网络的访问次数过多，请稍后再试。
# Excel export of a survey's results (§20.4)
export-satisfaction-title = 满意度测评汇总表
