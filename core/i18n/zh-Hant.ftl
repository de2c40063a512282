# palmgov 核心訊息：繁體中文。缺失的條目回退到簡體中文。

forms-required = 此項為必填項。
forms-constraint = 此處不允許該答案。
forms-format = 格式不正確。
forms-checksum = 校驗位不符，請核對號碼。
forms-birth_date = 號碼中的出生日期無效。
forms-unknown_region = 行政區劃代碼不存在。
forms-not_mobile = 不是中國大陸手機號碼。
forms-not_a_choice = 請從列出的選項中選擇。
forms-out_of_range = 數值超出範圍。
forms-too_long = 內容過長。
forms-type = 答案類型不正確。
forms-too_few = 請再新增條目。
forms-too_many = 條目過多。
forms-attachment_pending = 照片未儲存，請重新拍攝或刪除。
forms-read_only = 此項不可編輯。
forms-unknown_field = 表單中沒有此項。
forms-unknown_instance = 該條目已不存在。
forms-unknown_attachment = 該照片不屬於此項。

error-storage-disk_full = 手機儲存空間不足。清理後重試，已填內容不會遺失。
error-net-offline = 網路未連線。內容已儲存，連線後自動提交。
error-identity-sign_in_required = 請重新登入。草稿和待提交的表單都會保留。
error-identity-level_required = 該事項需要 { $level } 級身分認證。
error-drafts-frozen = 該表單已提交，不能再修改。
error-forms-not_found = 本機尚無此表單，請連網下載一次。
