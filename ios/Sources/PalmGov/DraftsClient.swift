import Foundation

/// Forms on the device, drafts and their photos. Answers are JSON text
/// (`docs/forms.md`); every call returns a screen's worth, so one user
/// action is one crossing. Draft calls are behind the app lock.
public final class DraftsClient: @unchecked Sendable {
    private let handle: DraftsHandle

    init(_ handle: DraftsHandle) {
        self.handle = handle
    }

    /// Downloads the backend's form catalog; returns the forms on the device.
    public func refreshForms(language: String = PalmGovClient.language) async throws -> [FormInfo] {
        try await cancellable { token in try await self.handle.refreshForms(language: language, cancel: token) }
    }

    /// Stores a definition bundled with the app.
    public func addFormDefinition(json: String, language: String = PalmGovClient.language) async throws -> FormInfo {
        try await handle.addFormDefinition(json: json, language: language)
    }

    public func forms(language: String = PalmGovClient.language) async throws -> [FormInfo] {
        try await handle.forms(language: language)
    }

    /// Starts a draft; the device's current UTC offset is recorded with it.
    public func createDraft(
        formID: String,
        subject: DraftSubject = DraftSubject(),
        version: UInt32? = nil,
        language: String = PalmGovClient.language
    ) async throws -> DraftView {
        try await handle.createDraft(
            formId: formID, version: version, subject: subject, utcOffsetMin: utcOffsetMinutes(),
            language: language)
    }

    /// Saves one answer (JSON text; `"null"` clears it). Durable when it returns.
    public func saveAnswer(
        draftID: String, path: String, valueJSON: String, language: String = PalmGovClient.language
    ) async throws -> SaveEffects {
        try await handle.saveAnswer(draftId: draftID, path: path, valueJson: valueJSON, language: language)
    }

    public func addRepeatInstance(
        draftID: String, repeat: String, language: String = PalmGovClient.language
    ) async throws -> RepeatAdded {
        try await handle.addRepeatInstance(draftId: draftID, repeat: `repeat`, language: language)
    }

    public func removeRepeatInstance(
        draftID: String, repeat: String, instanceID: String, language: String = PalmGovClient.language
    ) async throws -> SaveEffects {
        try await handle.removeRepeatInstance(
            draftId: draftID, repeat: `repeat`, instanceId: instanceID, language: language)
    }

    public func openDraft(draftID: String, language: String = PalmGovClient.language) async throws -> DraftView {
        try await handle.openDraft(draftId: draftID, language: language)
    }

    public func listDrafts(language: String = PalmGovClient.language) async throws -> [DraftSummary] {
        try await handle.listDrafts(language: language)
    }

    /// Finds drafts by any substring of the resident's name or the summary.
    public func searchDrafts(query: String, language: String = PalmGovClient.language) async throws -> [DraftSummary] {
        try await handle.searchDrafts(query: query, language: language)
    }

    public func deleteDraft(draftID: String) async throws {
        try await handle.deleteDraft(draftId: draftID)
    }

    /// What attaching a licence from the wallet to the `licence_ref` `field`
    /// shares (the claims), with whom and why (用证事由), and the person's
    /// licences it can take: show it, and call `attachLicence` on their
    /// confirmation. Only for the signed-in person's own application (a draft
    /// created with no subject). No licences offered: refresh the wallet first.
    public func licenceOffer(
        draftID: String, field: String, language: String = PalmGovClient.language
    ) async throws -> LicenceOffer {
        try await handle.licenceOffer(draftId: draftID, field: field, language: language)
    }

    /// Attaches the person's licence `licenceID` (one of the offer's) to
    /// `field` instead of a photo of it, and records their consent. The
    /// presentation, disclosing only the offer's claims, is bound to the
    /// submission at finalize. The field takes no answer typed by hand.
    public func attachLicence(
        draftID: String, field: String, licenceID: String, language: String = PalmGovClient.language
    ) async throws -> SaveEffects {
        try await handle.attachLicence(draftId: draftID, field: field, licenceId: licenceID, language: language)
    }

    /// On a household visit: checks the 亮证 code the resident shows (the
    /// scanner's text; verifier mode, offline, a replay refused) and, when it
    /// holds, fills the resident's draft from what it disclosed, recording
    /// their consent (`DraftView.licenceUses`). `effects` is nil when the code
    /// did not hold (`check` says why). A draft about the signed-in person is
    /// refused: they attach their own licences.
    public func prefillFromLicenceCode(
        draftID: String, payload: String, language: String = PalmGovClient.language
    ) async throws -> ShownLicencePrefill {
        try await handle.prefillFromLicenceCode(draftId: draftID, payload: payload, language: language)
    }

    /// Validates everything; queues the draft when clean, else returns every issue.
    public func finalizeDraft(draftID: String, language: String = PalmGovClient.language) async throws -> FinalizeOutcome {
        try await handle.finalizeDraft(draftId: draftID, language: language)
    }

    public func migrateDraft(draftID: String, version: UInt32) async throws -> MigrationReport {
        try await handle.migrateDraft(draftId: draftID, version: version)
    }

    public func editSubmitted(draftID: String, language: String = PalmGovClient.language) async throws -> DraftView {
        try await handle.editSubmitted(draftId: draftID, language: language)
    }

    /// Call before presenting the camera; it writes to `capturePath`, through
    /// `CaptureWriter.write(_:to:)`, which turns the iPhone's HEIC into JPEG.
    /// After a restart, `DraftView.pendingCaptures` lists captures still to ingest.
    public func registerAttachment(draftID: String, path: String) async throws -> PendingAttachment {
        try await handle.registerAttachment(draftId: draftID, path: path)
    }

    /// Turns the capture upright, scales it, drops EXIF and stores it encrypted.
    public func ingestAttachment(
        attachmentID: String, maxEdge: UInt32? = nil, language: String = PalmGovClient.language
    ) async throws -> IngestedAttachment {
        try await handle.ingestAttachment(attachmentId: attachmentID, maxEdge: maxEdge, language: language)
    }

    public func removeAttachment(attachmentID: String, language: String = PalmGovClient.language) async throws -> SaveEffects {
        try await handle.removeAttachment(attachmentId: attachmentID, language: language)
    }

    public func attachmentBytes(attachmentID: String) async throws -> Data {
        try await handle.attachmentBytes(attachmentId: attachmentID)
    }
}
