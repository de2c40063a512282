package org.palmgov

/** Face step-up: the person's separate consent, then the check. Behind the app lock. */
class FaceClient internal constructor(private val handle: FaceHandle) {
    /** Records the person's separate consent to face checks (a guardian's under 14). */
    suspend fun recordConsent(consent: FaceConsent): FaceConsentRecord = handle.recordConsent(consent)

    suspend fun consent(): FaceConsentRecord? = handle.consent()

    suspend fun withdrawConsent(): Boolean = handle.withdrawConsent()

    /**
     * One face verification for [transaction]: the core runs the server's
     * challenge through [capture] (see [SuspendingFaceCapture]) and returns
     * the verdict. Cancelling the coroutine closes the camera.
     */
    suspend fun stepUp(transaction: String, capture: FaceCapture): FaceVerdict =
        cancellable { handle.stepUp(transaction, capture, it) }
}
