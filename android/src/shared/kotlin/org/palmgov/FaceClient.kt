package org.palmgov

/** Face step-up: the person's separate consent, then the check. Behind the app lock. */
class FaceClient internal constructor(private val handle: FaceHandle) {
    /** Records the person's separate consent to face checks (a guardian's under 14). */
    suspend fun recordConsent(consent: FaceConsent): FaceConsentRecord = handle.recordConsent(consent)

    suspend fun consent(): FaceConsentRecord? = handle.consent()

    suspend fun withdrawConsent(): Boolean = handle.withdrawConsent()

    /**
     * One face verification for [operations], what it unlocks (such as the
     * instance ids [OutboxClient.stepUpNeeded] lists, so one check releases
     * every submission waiting for it; at most 50): the core runs the
     * server's challenge through [capture] (see [SuspendingFaceCapture]) and
     * returns the verdict, which raises those operations alone to L4 for a
     * bounded time. Cancelling the coroutine closes the camera.
     */
    suspend fun stepUp(operations: List<String>, capture: FaceCapture): FaceVerdict =
        cancellable { handle.stepUp(operations, capture, it) }
}
