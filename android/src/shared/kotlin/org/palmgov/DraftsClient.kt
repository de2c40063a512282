package org.palmgov

/**
 * Forms on the device, drafts and their photos. Answers are JSON text (see
 * `docs/forms.md`); every call returns a screen's worth, so one user action
 * is one crossing. Draft calls are behind the app lock.
 */
class DraftsClient internal constructor(private val handle: DraftsHandle) {
    /** Downloads the backend's form catalog; returns the forms on the device. */
    suspend fun refreshForms(language: String = defaultLanguage()): List<FormInfo> =
        cancellable { handle.refreshForms(language, it) }

    /** Stores a definition bundled with the app. */
    suspend fun addFormDefinition(json: String, language: String = defaultLanguage()): FormInfo =
        handle.addFormDefinition(json, language)

    suspend fun forms(language: String = defaultLanguage()): List<FormInfo> = handle.forms(language)

    /** Starts a draft; the device's current UTC offset is recorded with it. */
    suspend fun createDraft(
        formId: String,
        subject: DraftSubject = DraftSubject(),
        version: UInt? = null,
        language: String = defaultLanguage(),
    ): DraftView = handle.createDraft(formId, version, subject, utcOffsetMinutes(), language)

    /** Saves one answer (JSON text; `"null"` clears it). Durable when it returns. */
    suspend fun saveAnswer(draftId: String, path: String, valueJson: String, language: String = defaultLanguage()): SaveEffects =
        handle.saveAnswer(draftId, path, valueJson, language)

    suspend fun addRepeatInstance(draftId: String, repeat: String, language: String = defaultLanguage()): RepeatAdded =
        handle.addRepeatInstance(draftId, repeat, language)

    suspend fun removeRepeatInstance(draftId: String, repeat: String, instanceId: String, language: String = defaultLanguage()): SaveEffects =
        handle.removeRepeatInstance(draftId, repeat, instanceId, language)

    suspend fun openDraft(draftId: String, language: String = defaultLanguage()): DraftView =
        handle.openDraft(draftId, language)

    suspend fun listDrafts(language: String = defaultLanguage()): List<DraftSummary> = handle.listDrafts(language)

    /** Finds drafts by any substring of the resident's name or the summary (2-character names too). */
    suspend fun searchDrafts(query: String, language: String = defaultLanguage()): List<DraftSummary> =
        handle.searchDrafts(query, language)

    suspend fun deleteDraft(draftId: String) = handle.deleteDraft(draftId)

    /**
     * What attaching a licence from the wallet to the `licence_ref` [field] shares (the claims),
     * with whom and why (用证事由), and the person's licences it can take: show it, and call
     * [attachLicence] on their confirmation. Only for the signed-in person's own application
     * (a draft created with no subject). An empty [LicenceOffer.licences]: refresh the wallet first.
     */
    suspend fun licenceOffer(draftId: String, field: String, language: String = defaultLanguage()): LicenceOffer =
        handle.licenceOffer(draftId, field, language)

    /**
     * Attaches the person's licence [licenceId] (one of the offer's) to [field] instead of a
     * photo of it, and records their consent. The presentation, disclosing only the offer's
     * claims, is bound to the submission at finalize. The field takes no answer typed by hand.
     */
    suspend fun attachLicence(
        draftId: String,
        field: String,
        licenceId: String,
        language: String = defaultLanguage(),
    ): SaveEffects = handle.attachLicence(draftId, field, licenceId, language)

    /**
     * On a household visit: checks the 亮证 code the resident shows (the scanner's text; verifier
     * mode, offline, a replay refused) and, when it holds, fills the resident's draft from what it
     * disclosed, recording their consent ([DraftView.licenceUses]). [ShownLicencePrefill.effects]
     * is null when the code did not hold ([ShownLicencePrefill.check] says why). A draft about the
     * signed-in person is refused: they attach their own licences.
     */
    suspend fun prefillFromLicenceCode(
        draftId: String,
        payload: String,
        language: String = defaultLanguage(),
    ): ShownLicencePrefill = handle.prefillFromLicenceCode(draftId, payload, language)

    /** Validates everything; queues the draft when clean, else returns every issue at once. */
    suspend fun finalizeDraft(draftId: String, language: String = defaultLanguage()): FinalizeOutcome =
        handle.finalizeDraft(draftId, language)

    suspend fun migrateDraft(draftId: String, version: UInt): MigrationReport = handle.migrateDraft(draftId, version)

    suspend fun editSubmitted(draftId: String, language: String = defaultLanguage()): DraftView =
        handle.editSubmitted(draftId, language)

    /**
     * Call before opening the camera; the camera writes to [PendingAttachment.capturePath]
     * (pass it to the camera intent through a FileProvider URI). If the OS kills the app
     * while the camera is open, the restarted app finds the photo in
     * [DraftView.pendingCaptures] and ingests it.
     */
    suspend fun registerAttachment(draftId: String, path: String): PendingAttachment =
        handle.registerAttachment(draftId, path)

    /** Turns the capture upright, scales it (1600 px by default), drops EXIF and stores it encrypted. */
    suspend fun ingestAttachment(attachmentId: String, maxEdge: UInt? = null, language: String = defaultLanguage()): IngestedAttachment =
        handle.ingestAttachment(attachmentId, maxEdge, language)

    suspend fun removeAttachment(attachmentId: String, language: String = defaultLanguage()): SaveEffects =
        handle.removeAttachment(attachmentId, language)

    suspend fun attachmentBytes(attachmentId: String): ByteArray = handle.attachmentBytes(attachmentId)
}
