# palmgov core messages: English, the last fallback.
# Ids: forms-<code> for answer and form checks, error-<code> for errors
# (the stable code with "." replaced by "-").

forms-required = This field is required.
forms-constraint = This answer is not allowed here.
forms-format = This value is not in the expected format.
forms-checksum = The check digit does not match; please check the number.
forms-birth_date = The date of birth in this number is not valid.
forms-unknown_region = This region code does not exist.
forms-not_mobile = This is not a mainland China mobile number.
forms-unknown_authority = This registration authority or organisation type does not exist in the credit code standard.
forms-not_a_choice = Please choose one of the listed options.
forms-out_of_range = This value is out of range.
forms-too_long = This answer is too long.
forms-type = This answer has the wrong type.
forms-too_few = Please add more entries.
forms-too_many = There are too many entries.
forms-attachment_pending = A photo was started but not saved; take it again or remove it.
forms-read_only = This field cannot be edited.
forms-unknown_field = This field does not exist in the form.
forms-unknown_instance = This entry no longer exists.
forms-unknown_attachment = This photo does not belong to this field.

error-storage-dir_unwritable = The app cannot write its data. Check the free space and storage permissions.
error-storage-corrupt = The app's data is damaged. Contact support before reinstalling.
error-storage-wrong_key = The app's data cannot be unlocked on this device.
error-storage-disk_full = The phone is out of storage. Free some space and try again; nothing was lost.
error-storage-schema_too_new = This data comes from a newer version of the app. Please update.
error-storage-failed = Saving failed. Please try again.
error-storage-decryption = Stored data could not be decrypted.
error-net-offline = No network connection. Your work is saved and will be sent later.
error-net-timeout = The server took too long to answer. Please try again.
error-net-tls = A secure connection could not be established.
error-net-server = The server could not handle the request. Please try again later.
error-net-bad_reply = The server's reply was not understood. Are you on a network that needs a sign-in page?
error-identity-rejected = Sign-in was refused.
error-identity-provider_error = The sign-in service reported an error.
error-identity-clock_wrong = The phone's date and time are wrong. Set them automatically in the settings and try again.
error-identity-sign_in_required = Please sign in again. Your drafts and queued forms are kept.
error-identity-level_required = This service needs identity level { $level }.
error-face-consent_required = Face verification needs your consent first.
error-face-rejected = Face verification did not succeed. Attempts left: { $attempts }.
error-face-attempts_exhausted = Too many face verification attempts. Please try later or use another method.
error-face-timeout = Face verification took too long.
error-hook-failed = A system component did not respond.
error-cancelled = Cancelled.
error-app_lock-locked = The app is locked.
error-app_lock-pin_required = Enter the app PIN to continue.
error-app_lock-wrong_pin = { $seconds ->
    [0] Wrong PIN. Try again.
   *[other] Wrong PIN. Try again in { $seconds } seconds.
}
error-app_lock-other_person = Only the person who set the app PIN can reset it by signing in.
error-input-invalid = Invalid input: { $field }.
error-forms-invalid_definition = The form "{ $field }" is defined incorrectly.
error-forms-invalid_answer = The answer to "{ $field }" is not valid.
error-forms-not_found = This form is not on the device yet. Connect once to download it.
error-wallet-licence_refused = A licence could not be checked and was not kept. Try again later, or contact the issuing authority.
error-region-profile_refused = The region's settings could not be checked and were not used. The app keeps its last good settings.
error-region-update_required = This app needs updating to version { $min_version } or later. Nothing on this phone is lost.
error-not_found = Not found.
error-drafts-frozen = This form has been submitted and can no longer be changed.
error-closed = The app's core was closed.
error-internal = Something went wrong inside the app.

error-services-catalog_refused = The service guide could not be checked and was not used. The app keeps its last good guide.
error-services-catalog_missing = There is no service guide on this phone yet. Sync once you are online.
reminder-status-title = Application update
reminder-status-body = { $status ->
    [accepted] One of your applications has been accepted.
    [in_progress] One of your applications is being processed.
    [approved] One of your applications has been completed.
    [rejected] One of your applications was not approved. Open the app to see why.
    [correction_required] One of your applications needs more materials. Open the app to see what.
   *[other] There is news about one of your applications. Open the app to see it.
}
reminder-due-title = Materials due
reminder-due-body = { $days ->
    [0] Materials for one of your applications are due today.
    [one] Materials for one of your applications are due within { $days } day.
   *[other] Materials for one of your applications are due within { $days } days.
}
reminder-licence-title = Licence expiring
reminder-licence-body = { $days ->
    [0] One of your e-licences expires today. Please renew it.
    [one] One of your e-licences expires in { $days } day. Please renew it.
   *[other] One of your e-licences expires in { $days } days. Please renew it.
}
