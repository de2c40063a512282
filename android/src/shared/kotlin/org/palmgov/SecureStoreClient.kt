package org.palmgov

/**
 * The app's own records and files, encrypted under the install's data key,
 * in a space the core's own secrets are not in. Behind the app lock.
 */
class SecureStoreClient internal constructor(private val handle: SecureStoreHandle) {
    /** Stores [value] encrypted; [namespace] and [key] are stored in clear. */
    suspend fun put(namespace: String, key: String, value: ByteArray) = handle.put(namespace, key, value)

    suspend fun get(namespace: String, key: String): ByteArray? = handle.get(namespace, key)

    /** A whole namespace in one call: one crossing instead of one per entry. */
    suspend fun list(namespace: String): List<SecureEntry> = handle.list(namespace)

    suspend fun delete(namespace: String, key: String): Boolean = handle.delete(namespace, key)

    /** Encrypts the file at [sourcePath] under [name]; with [deleteSource] the plaintext goes once it is safe. */
    suspend fun fileImport(name: String, sourcePath: String, deleteSource: Boolean = false): SecureFileInfo =
        handle.fileImport(name, sourcePath, deleteSource)

    suspend fun fileRead(name: String): ByteArray? = handle.fileRead(name)

    suspend fun fileDelete(name: String): Boolean = handle.fileDelete(name)
}
