# palmgov يادرو ئۇچۇرلىرى: ئۇيغۇرچە. كەم بولغانلىرى ئاددىي خەنزۇچىغا قايتىدۇ.
# NEEDS REVIEW: written by the developers, not yet reviewed by a native
# Uyghur speaker. Every message is here (the tests require it); wording
# may be stiff. 本文件尚待维吾尔语母语者审校。

forms-required = بۇ تۈر چوقۇم تولدۇرۇلىدۇ.
forms-constraint = بۇ جاۋابقا بۇ يەردە رۇخسەت يوق.
forms-format = شەكلى توغرا ئەمەس.
forms-checksum = تەكشۈرۈش نومۇرى ماس كەلمىدى، نومۇرنى تەكشۈرۈڭ.
forms-birth_date = نومۇردىكى تۇغۇلغان چېسلا ئىناۋەتسىز.
forms-unknown_region = بۇ رايون كودى مەۋجۇت ئەمەس.
forms-not_mobile = بۇ جۇڭگو قۇرۇقلۇقىدىكى يانفون نومۇرى ئەمەس.
forms-unknown_authority = تىزىملاش ئورگىنى ياكى ئورگان تۈرى كودى مەۋجۇت ئەمەس، ئىناۋەت كودىنى تەكشۈرۈڭ.
forms-not_a_choice = كۆرسىتىلگەن تاللاشلاردىن بىرنى تاللاڭ.
forms-out_of_range = سان دائىرىدىن ئېشىپ كەتتى.
forms-too_long = مەزمۇن بەك ئۇزۇن.
forms-type = جاۋابنىڭ تىپى توغرا ئەمەس.
forms-too_few = يەنە تۈر قوشۇڭ.
forms-too_many = تۈر بەك كۆپ.
forms-attachment_pending = رەسىم ساقلانمىدى، قايتا تارتىڭ ياكى ئۆچۈرۈڭ.
forms-read_only = بۇ تۈرنى تەھرىرلىگىلى بولمايدۇ.
forms-unknown_field = جەدۋەلدە بۇ تۈر يوق.
forms-unknown_instance = بۇ تۈر ئەمدى مەۋجۇت ئەمەس.
forms-unknown_attachment = بۇ رەسىم بۇ تۈرگە تەۋە ئەمەس.

error-storage-dir_unwritable = ئەپ سانلىق مەلۇماتنى يازالمىدى. ساقلاش بوشلۇقى ۋە ھوقۇقنى تەكشۈرۈڭ.
error-storage-corrupt = ئەپنىڭ سانلىق مەلۇماتى بۇزۇلدى. قايتا قاچىلاشتىن بۇرۇن مۇلازىمەت بىلەن ئالاقىلىشىڭ.
error-storage-wrong_key = بۇ ئۈسكۈنىدە ئەپ سانلىق مەلۇماتىنى ئاچقىلى بولمىدى.
error-storage-disk_full = تېلېفون ساقلاش بوشلۇقى يېتىشمىدى. بوشلۇق بىكارلاپ قايتا سىناڭ، ھېچنېمە يوقالمىدى.
error-storage-schema_too_new = بۇ سانلىق مەلۇمات ئەپنىڭ يېڭى نەشرىدىن كەلگەن. ئەپنى يېڭىلاڭ.
error-storage-failed = ساقلاش مەغلۇپ بولدى، قايتا سىناڭ.
error-storage-decryption = ساقلانغان سانلىق مەلۇماتنى يەشكىلى بولمىدى.
error-net-offline = تورغا ئۇلانمىدى. مەزمۇن ساقلاندى، تورغا ئۇلانغاندا يوللىنىدۇ.
error-net-timeout = مۇلازىمېتىر ۋاقتىدا جاۋاب بەرمىدى، قايتا سىناڭ.
error-net-tls = بىخەتەر ئۇلىنىش قۇرغىلى بولمىدى.
error-net-server = مۇلازىمېتىر تەلەپنى بىر تەرەپ قىلالمىدى، سەل تۇرۇپ قايتا سىناڭ.
error-net-bad_reply = مۇلازىمېتىرنىڭ جاۋابىنى چۈشەنگىلى بولمىدى. بۇ تور بەت ئارقىلىق كىرىشنى تەلەپ قىلامدۇ؟
error-identity-rejected = كىرىش رەت قىلىندى.
error-identity-provider_error = بىرلىككە كەلگەن كىملىك دەلىللەش مۇلازىمىتىدە خاتالىق كۆرۈلدى.
error-identity-clock_wrong = تېلېفوننىڭ چېسلا ۋە ۋاقتى توغرا ئەمەس. تەڭشەكتە ئاپتوماتىك تەڭشەشنى ئېچىپ قايتا سىناڭ.
error-identity-sign_in_required = قايتا كىرىڭ. ئارگىنال ۋە يوللىنىدىغان جەدۋەللەر ساقلىنىدۇ.
error-identity-level_required = بۇ ئىش { $level } - دەرىجىلىك كىملىك دەلىللەشنى تەلەپ قىلىدۇ.
error-face-consent_required = چىراي دەلىللەشتىن بۇرۇن سىزنىڭ قوشۇلۇشىڭىز كېرەك.
error-face-rejected = چىراي دەلىللەش ئۆتمىدى. يەنە { $attempts } قېتىم سىناشقا بولىدۇ.
error-face-attempts_exhausted = چىراي دەلىللەش قېتىم سانى بەك كۆپ بولدى. سەل تۇرۇپ سىناڭ ياكى باشقا ئۇسۇلنى ئىشلىتىڭ.
error-face-timeout = چىراي دەلىللەش ۋاقتى ئېشىپ كەتتى.
error-hook-failed = سىستېما زاپچىسى جاۋاب بەرمىدى.
error-cancelled = ئەمەلدىن قالدۇرۇلدى.
error-app_lock-locked = ئەپ قۇلۇپلانغان.
error-app_lock-pin_required = داۋاملاشتۇرۇش ئۈچۈن ئەپ پارولىنى كىرگۈزۈڭ.
error-app_lock-wrong_pin = { $seconds ->
    [0] پارول خاتا، قايتا سىناڭ.
   *[other] پارول خاتا، { $seconds } سېكۇنتتىن كېيىن قايتا سىناڭ.
}
error-app_lock-other_person = پەقەت ئەپ پارولىنى بەلگىلىگەن كىشى كىرگەندىن كېيىنلا پارولنى قايتا بەلگىلىيەلەيدۇ.
error-input-invalid = كىرگۈزۈش ئىناۋەتسىز: { $field }.
error-forms-invalid_definition = «{ $field }» جەدۋىلىنىڭ ئېنىقلىمىسى خاتا.
error-forms-invalid_answer = «{ $field }» نىڭ جاۋابى ئىناۋەتسىز.
error-forms-not_found = بۇ جەدۋەل ئۈسكۈنىدە تېخى يوق. بىر قېتىم تورغا ئۇلىنىپ چۈشۈرۈڭ.
error-wallet-licence_refused = گۇۋاھنامە تەكشۈرۈشتىن ئۆتمىدى، ساقلانمىدى. كېيىن قايتا سىناڭ ياكى تارقاتقان ئورۇن بىلەن ئالاقىلىشىڭ.
error-region-profile_refused = رايون تەڭشىكى تەكشۈرۈشتىن ئۆتمىدى، ئىشلىتىلمىدى. ئەپ ئالدىنقى ئىناۋەتلىك تەڭشەكنى ئىشلىتىۋېرىدۇ.
error-region-update_required = بۇ ئەپنى { $min_version } ياكى ئۇنىڭدىن يۇقىرى نەشرىگە يېڭىلاڭ. تېلېفوندىكى ھېچنەرسە يوقالمايدۇ.
error-not_found = تېپىلمىدى.
error-drafts-frozen = بۇ جەدۋەل يوللاندى، ئەمدى ئۆزگەرتكىلى بولمايدۇ.
error-closed = ئەپ يادروسى تاقالدى.
error-internal = ئەپ ئىچىدە خاتالىق كۆرۈلدى.

error-services-catalog_refused = ئىش بېجىرىش قوللانمىسى تەكشۈرۈشتىن ئۆتمىدى، ئىشلىتىلمىدى. ئەپ ئالدىنقى ئىناۋەتلىك قوللانمىنى ئىشلىتىۋېرىدۇ.
error-services-catalog_missing = تېلېفوندا تېخى ئىش بېجىرىش قوللانمىسى يوق. تورغا ئۇلىنىپ بىر قېتىم ماسقەدەملەڭ.
reminder-status-title = ئىلتىماس ئەھۋالى يېڭىلاندى
reminder-status-body = { $status ->
    [accepted] ئىلتىماسلىرىڭىزنىڭ بىرى قوبۇل قىلىندى.
    [in_progress] ئىلتىماسلىرىڭىزنىڭ بىرى بېجىرىلىۋاتىدۇ.
    [approved] ئىلتىماسلىرىڭىزنىڭ بىرى بېجىرىلىپ بولدى.
    [rejected] ئىلتىماسلىرىڭىزنىڭ بىرى تەستىقلانمىدى، سەۋەبىنى ئەپتىن كۆرۈڭ.
    [correction_required] ئىلتىماسلىرىڭىزنىڭ بىرىگە ماتېرىيال تولۇقلاش كېرەك، ئەپتىن كۆرۈڭ.
   *[other] ئىلتىماسلىرىڭىزنىڭ بىرىدە يېڭى ئەھۋال بار، ئەپتىن كۆرۈڭ.
}
reminder-due-title = ماتېرىيال تولۇقلاش ئەسكەرتمىسى
reminder-due-body = { $days ->
    [0] بىر ئىلتىماسنىڭ ماتېرىيال تولۇقلاش ۋاقتى بۈگۈن توشىدۇ.
   *[other] بىر ئىلتىماسقا { $days } كۈن ئىچىدە ماتېرىيال تولۇقلاش كېرەك.
}
reminder-licence-title = ئېلېكترونلۇق گۇۋاھنامە ۋاقتى توشۇش ئەسكەرتمىسى
reminder-licence-body = { $days ->
    [0] ئېلېكترونلۇق گۇۋاھنامىڭىزنىڭ بىرىنىڭ ۋاقتى بۈگۈن توشىدۇ، ۋاقتىدا يېڭىلاڭ.
   *[other] ئېلېكترونلۇق گۇۋاھنامىڭىزنىڭ بىرىنىڭ ۋاقتى { $days } كۈندىن كېيىن توشىدۇ، ۋاقتىدا يېڭىلاڭ.
}
