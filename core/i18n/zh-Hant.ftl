# palmgov 核心訊息：繁體中文。缺失的條目回退到簡體中文；測試要求每個條目都在。

forms-required = 此項為必填項。
forms-constraint = 此處不允許該答案。
forms-format = 格式不正確。
forms-checksum = 校驗位不符，請核對號碼。
forms-birth_date = 號碼中的出生日期無效。
forms-unknown_region = 行政區劃代碼不存在。
forms-not_mobile = 不是中國大陸手機號碼。
forms-unknown_authority = 登記管理部門或機構類別代碼不存在，請核對統一社會信用代碼。
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

error-storage-dir_unwritable = 應用程式無法寫入資料，請檢查儲存空間和權限。
error-storage-corrupt = 應用程式資料已損壞，請先聯絡客服，不要重新安裝。
error-storage-wrong_key = 無法在本裝置上解鎖應用程式資料。
error-storage-disk_full = 手機儲存空間不足。清理後重試，已填內容不會遺失。
error-storage-schema_too_new = 資料來自較新版本的應用程式，請更新。
error-storage-failed = 儲存失敗，請重試。
error-storage-decryption = 無法解密已存資料。
error-net-offline = 網路未連線。內容已儲存，連線後自動提交。
error-net-timeout = 伺服器回應逾時，請重試。
error-net-tls = 無法建立安全連線。
error-net-server = 伺服器暫時無法處理，請稍後重試。
error-net-bad_reply = 無法識別伺服器的回覆。目前網路是否需要網頁登入？
error-identity-rejected = 登入被拒絕。
error-identity-provider_error = 統一身分認證服務出錯。
error-identity-clock_wrong = 手機的日期和時間不正確。請在設定中開啟自動設定時間後重試。
error-identity-sign_in_required = 請重新登入。草稿和待提交的表單都會保留。
error-identity-level_required = 該事項需要 { $level } 級身分認證。
error-face-consent_required = 刷臉認證前需要您的同意。
error-face-rejected = 刷臉認證未通過，還可嘗試 { $attempts } 次。
error-face-attempts_exhausted = 刷臉認證次數過多，請稍後再試或改用其他方式。
error-face-timeout = 刷臉認證逾時。
error-hook-failed = 系統元件無回應。
error-cancelled = 已取消。
error-app_lock-locked = 應用程式已鎖定。
error-app_lock-pin_required = 請輸入應用密碼後繼續。
error-app_lock-wrong_pin = { $seconds ->
    [0] 密碼錯誤，請重試。
   *[other] 密碼錯誤，請 { $seconds } 秒後重試。
}
error-app_lock-other_person = 只有設定應用密碼的本人登入後才能重設密碼。
error-input-invalid = 輸入無效：{ $field }。
error-forms-invalid_definition = 表單「{ $field }」定義有誤。
error-forms-invalid_answer = 「{ $field }」的答案無效。
error-forms-not_found = 本機尚無此表單，請連網下載一次。
error-wallet-licence_refused = 證照未通過校驗，未予保存。請稍後重試或聯絡發證機關。
error-region-profile_refused = 地區配置未通過校驗，未予採用。應用繼續使用上一份有效配置。
error-region-update_required = 請將應用更新到 { $min_version } 或更高版本。手機上的內容都會保留。
error-not_found = 找不到。
error-drafts-frozen = 該表單已提交，不能再修改。
error-closed = 應用程式核心已關閉。
error-internal = 應用程式內部出錯。

error-services-catalog_refused = 辦事指南未通過校驗，未予採用。應用繼續使用上一份有效的辦事指南。
error-services-catalog_missing = 手機上還沒有辦事指南，請連網同步一次。
reminder-status-title = 辦件進度更新
reminder-status-body = { $status ->
    [accepted] 您的一項申請已受理。
    [in_progress] 您的一項申請正在辦理。
    [approved] 您的一項申請已辦結。
    [rejected] 您的一項申請未獲通過，請打開應用查看原因。
    [correction_required] 您的一項申請需要補正材料，請打開應用查看。
   *[other] 您的一項申請有新進展，請打開應用查看。
}
reminder-due-title = 補正材料提醒
reminder-due-body = { $days ->
    [0] 一項申請的補正材料今天截止，請盡快提交。
   *[other] 一項申請需在 { $days } 天內補正材料。
}
reminder-licence-title = 電子證照到期提醒
reminder-licence-body = { $days ->
    [0] 您的一張電子證照今天到期，請及時更新。
   *[other] 您的一張電子證照將在 { $days } 天後到期，請及時更新。
}
