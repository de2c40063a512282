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
