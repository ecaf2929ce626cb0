# Shell, navigation, home, sign-in, errors.
app-name = 政协机关绩效管理
skip-to-content = 跳到正文
switch-language = English
nav-label = 主导航
nav-home = 我的待办
nav-departments = 处室
nav-people = 人员
nav-posts = 岗位
nav-import = 导入
nav-audit = 审计日志
nav-password = 修改密码
sign-out = 退出
footer-text = 政协机关绩效管理系统 · 计划目标 → 实施监督 → 评估考核 → 追踪反馈

home-title = 我的待办
home-nothing-waiting = 目前没有需要您处理的事项。
todo-set-own-password = 请设置您自己的密码（当前为初始密码）
todo-posts-flagged = { $count } 个岗位缺少 B 角或 A、B 角为同一人，请调整

login-title = 登录
login-submit = 登录
login-refused = 用户名或密码不正确。
login-held = 登录失败次数过多，请 15 分钟后再试。
field-username = 用户名
field-password = 密码

password-title = 修改密码
password-forced = 管理员已重置您的密码，请先设置新密码再继续使用。
password-rules = 新密码至少 10 个字符，且不能包含用户名。修改后，您在其他设备上的登录将全部失效。
field-current-password = 当前密码
field-new-password = 新密码
field-confirm-password = 确认新密码
password-submit = 修改密码
password-changed = 密码已修改，其他设备上的登录已失效。
error-wrong-password = 当前密码不正确。

error-back-home = 返回首页
error-forbidden-title = 无权访问
error-forbidden-text = 您的角色无权进行此操作。如需权限，请联系系统管理员。
error-not-found-title = 页面不存在
error-not-found-text = 您访问的页面不存在或已被移除。
error-csrf-title = 请求已被拒绝
error-csrf-text = 页面已过期或请求来源不可信，请刷新页面后重试。
error-bad-request-title = 请求无效
error-bad-request-text = 提交的内容无法识别，请返回重新填写。
error-too-large-title = 文件过大
error-too-large-text = 上传的内容超过了允许的大小。
error-conflict-title = 内容已被他人修改
error-conflict-text = 您编辑期间，该记录已被他人修改。请刷新后再编辑。
error-unavailable-title = 服务暂时不可用
error-unavailable-text = 系统繁忙或数据库暂时不可用，请稍后再试。
error-internal-title = 系统错误
error-internal-text = 处理请求时出错，已记录日志。请稍后再试或联系管理员。
error-method-title = 不支持的操作
error-method-text = 该页面不支持此种请求方式。
