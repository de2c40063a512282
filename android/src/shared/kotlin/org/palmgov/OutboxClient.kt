package org.palmgov

import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.callbackFlow

/**
 * Submissions, the sync run and application status (办件查询). A sync needs no
 * app lock and shows only counts, so a WorkManager job may run it.
 */
class OutboxClient internal constructor(private val handle: OutboxHandle) {
    suspend fun submissions(): List<Submission> = handle.submissions()

    suspend fun discardSubmission(instanceId: String) = handle.discardSubmission(instanceId)

    /**
     * The step-up queued submissions wait for ([SubmissionState.WaitingForLevel]),
     * if any: the level, and the instance ids to name in one face check
     * (`face.stepUp(needed.operations, camera)`); then sync again. A step-up
     * at the provider releases them too. Ids only, so no app lock.
     */
    suspend fun stepUpNeeded(): StepUpNeeded? = handle.stepUpNeeded()

    /**
     * Sends the queue. Emits [SyncUpdate.Progress] while it runs and one
     * [SyncUpdate.Done] at the end; cancelling the collector cancels the sync
     * between requests, with everything still queued.
     */
    fun sync(options: SyncOptions = SyncOptions()): Flow<SyncUpdate> = callbackFlow {
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                trySend(SyncUpdate.Progress(progress))
            }
        }
        val report = cancellable { handle.syncNow(options, listener, it) }
        send(SyncUpdate.Done(report))
        close()
        awaitClose {}
    }.buffer(Channel.UNLIMITED)

    /** Application status as last fetched. Offline. */
    suspend fun applications(): List<ApplicationStatus> = handle.applications()

    /** Pulls new statuses; returns what changed. */
    suspend fun refreshApplications(): List<ApplicationStatus> = cancellable { handle.refreshApplications(it) }

    /** [refreshApplications] for a WorkManager job: no app lock, only how many changed. */
    suspend fun refreshApplicationsInBackground(): UInt = cancellable { handle.refreshApplicationsInBackground(it) }

    /**
     * Every status change any refresh finds (by the app, a sync, a background
     * job), for as long as the flow is collected. Ids and status codes only;
     * read the details with [applications] behind the app lock.
     */
    fun applicationChanges(): Flow<List<ApplicationChange>> = callbackFlow {
        val subscription = handle.subscribeApplicationChanges(object : ApplicationListener {
            override fun onStatusChanged(changes: List<ApplicationChange>) {
                trySend(changes)
            }
        })
        awaitClose {
            subscription.cancel()
            subscription.destroy()
        }
    }.buffer(Channel.UNLIMITED)
}

/** What [OutboxClient.sync] emits. */
sealed interface SyncUpdate {
    data class Progress(val progress: SyncProgress) : SyncUpdate
    data class Done(val report: SyncReport) : SyncUpdate
}
