# palmgov 核心消息：简体中文。ug 与 zh-Hant 缺失的条目回退到这里。

forms-required = 此项为必填项。
forms-constraint = 此处不允许该答案。
forms-format = 格式不正确。
forms-checksum = 校验位不符，请核对号码。
forms-birth_date = 号码中的出生日期无效。
forms-unknown_region = 行政区划代码不存在。
forms-not_mobile = 不是中国大陆手机号码。
forms-unknown_authority = 登记管理部门或机构类别代码不存在，请核对统一社会信用代码。
forms-not_a_choice = 请从列出的选项中选择。
forms-out_of_range = 数值超出范围。
forms-too_long = 内容过长。
forms-type = 答案类型不正确。
forms-too_few = 请再添加条目。
forms-too_many = 条目过多。
forms-attachment_pending = 照片未保存，请重新拍摄或删除。
forms-read_only = 此项不可编辑。
forms-unknown_field = 表单中没有此项。
forms-unknown_instance = 该条目已不存在。
forms-unknown_attachment = 该照片不属于此项。

error-storage-dir_unwritable = 应用无法写入数据，请检查存储空间和权限。
error-storage-corrupt = 应用数据已损坏，请先联系客服，不要重装。
error-storage-wrong_key = 无法在本设备上解锁应用数据。
error-storage-disk_full = 手机存储空间不足。清理后重试，已填内容不会丢失。
error-storage-schema_too_new = 数据来自更新版本的应用，请升级。
error-storage-failed = 保存失败，请重试。
error-storage-decryption = 无法解密已存数据。
error-net-offline = 网络未连接。内容已保存，联网后自动提交。
error-net-timeout = 服务器响应超时，请重试。
error-net-tls = 无法建立安全连接。
error-net-server = 服务器暂时无法处理，请稍后重试。
error-net-bad_reply = 无法识别服务器的回复。当前网络是否需要网页登录？
error-identity-rejected = 登录被拒绝。
error-identity-provider_error = 统一身份认证服务出错。
error-identity-clock_wrong = 手机的日期和时间不正确。请在设置中开启自动设置时间后重试。
error-identity-sign_in_required = 请重新登录。草稿和待提交的表单都会保留。
error-identity-level_required = 该事项需要 { $level } 级身份认证。
error-face-consent_required = 刷脸认证前需要您的同意。
error-face-rejected = 刷脸认证未通过，还可尝试 { $attempts } 次。
error-face-attempts_exhausted = 刷脸认证次数过多，请稍后再试或换用其他方式。
error-face-timeout = 刷脸认证超时。
error-hook-failed = 系统组件无响应。
error-cancelled = 已取消。
error-app_lock-locked = 应用已锁定。
error-app_lock-pin_required = 请输入应用密码后继续。
error-app_lock-wrong_pin = { $seconds ->
    [0] 密码错误，请重试。
   *[other] 密码错误，请 { $seconds } 秒后重试。
}
error-app_lock-other_person = 只有设置应用密码的本人登录后才能重置密码。
error-input-invalid = 输入无效：{ $field }。
error-forms-invalid_definition = 表单“{ $field }”定义有误。
error-forms-invalid_answer = “{ $field }”的答案无效。
error-forms-not_found = 本机尚无此表单，请联网下载一次。
error-wallet-licence_refused = 证照未通过校验，未予保存。请稍后重试或联系发证机关。
error-region-profile_refused = 地区配置未通过校验，未予采用。应用继续使用上一份有效配置。
error-region-update_required = 请将应用更新到 { $min_version } 或更高版本。手机上的内容都会保留。
error-not_found = 未找到。
error-drafts-frozen = 该表单已提交，不能再修改。
error-closed = 应用核心已关闭。
error-internal = 应用内部出错。

error-services-catalog_refused = 办事指南未通过校验，未予采用。应用继续使用上一份有效的办事指南。
error-services-catalog_missing = 手机上还没有办事指南，请联网同步一次。
reminder-status-title = 办件进度更新
reminder-status-body = { $status ->
    [accepted] 您的一项申请已受理。
    [in_progress] 您的一项申请正在办理。
    [approved] 您的一项申请已办结。
    [rejected] 您的一项申请未获通过，请打开应用查看原因。
    [correction_required] 您的一项申请需要补正材料，请打开应用查看。
   *[other] 您的一项申请有新进展，请打开应用查看。
}
reminder-due-title = 补正材料提醒
reminder-due-body = { $days ->
    [0] 一项申请的补正材料今天截止，请尽快提交。
   *[other] 一项申请需在 { $days } 天内补正材料。
}
reminder-licence-title = 电子证照到期提醒
reminder-licence-body = { $days ->
    [0] 您的一张电子证照今天到期，请及时更新。
   *[other] 您的一张电子证照将在 { $days } 天后到期，请及时更新。
}
