package org.palmgov

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking

/**
 * Bridges the core's blocking [FaceCapture] hook to a camera screen written
 * as a suspend function: [camera] shows CameraX (and any vendor liveness SDK),
 * asks for [FaceChallenge.actions] and returns frames or a liveness token.
 *
 * The core calls [capture] on one of its worker threads and may give up
 * (challenge timeout, the app cancelled); it then calls [cancel], which
 * cancels [camera]'s coroutine so the screen closes.
 *
 * Keep frames in memory: never write them to a file, the gallery or a log.
 */
class SuspendingFaceCapture(
    private val scope: CoroutineScope,
    /** Where [camera] runs: the main thread in an app, any dispatcher in a test. */
    private val dispatcher: CoroutineDispatcher = Dispatchers.Main,
    private val camera: suspend (FaceChallenge) -> FaceCaptureResult,
) : FaceCapture {
    @Volatile
    private var running: Job? = null

    override fun capture(challenge: FaceChallenge): FaceCaptureResult {
        // Under a supervisor: a camera that throws must not cancel the
        // app's scope, only this capture.
        val supervisor = SupervisorJob(scope.coroutineContext[Job])
        val call = scope.async(dispatcher + supervisor) { camera(challenge) }
        running = call
        return try {
            runBlocking { call.await() }
        } catch (e: CancellationException) {
            throw HookException.Cancelled()
        } catch (e: HookException) {
            throw e
        } catch (e: Exception) {
            // The message may hold anything; the core only needs the kind.
            throw HookException.Failed(e.javaClass.simpleName)
        } finally {
            running = null
            supervisor.complete()
        }
    }

    override fun cancel() {
        running?.cancel()
    }
}
