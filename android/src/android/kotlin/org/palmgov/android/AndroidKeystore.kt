package org.palmgov.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.GeneralSecurityException
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.PrivateKey
import java.security.Signature
import java.security.spec.ECGenParameterSpec
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.palmgov.HookException
import org.palmgov.Keystore

/**
 * The [Keystore] hook on the Android Keystore: AES-256-GCM wrapping keys and
 * ECDSA P-256 signing keys that never leave secure hardware (StrongBox where
 * the device has it, the TEE otherwise).
 *
 * Runs on Android 8.0+ (API 26): everything here is API 23 except StrongBox
 * ([KeyGenParameterSpec.Builder.setIsStrongBoxBacked], Android 9), which is
 * only tried behind a version check. The keys need no screen lock and no
 * unlocked device, so background work can open the store while the phone is
 * locked. On a phone whose keystore has no secure hardware (some Android 8
 * phones), Android keeps the same keys in software.
 *
 * Wrapped blob format: `[version=1][iv: 12][ciphertext + tag]`.
 */
class AndroidKeystore : Keystore {
    private val keyStore: KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun wrapKey(alias: String, key: ByteArray): ByteArray = guard {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey(alias))
        val iv = cipher.iv
        byteArrayOf(FORMAT) + iv + cipher.doFinal(key)
    }

    override fun unwrapKey(alias: String, wrapped: ByteArray): ByteArray = guard {
        if (wrapped.size < 1 + IV_LEN + TAG_BITS / 8 || wrapped[0] != FORMAT) {
            throw HookException.KeyInvalidated()
        }
        val key = keyStore.getKey(alias, null) as? SecretKey ?: throw HookException.KeyInvalidated()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BITS, wrapped, 1, IV_LEN))
        cipher.doFinal(wrapped, 1 + IV_LEN, wrapped.size - 1 - IV_LEN)
    }

    override fun devicePublicKey(alias: String): ByteArray = guard {
        signingKey(alias)
        keyStore.getCertificate(alias).publicKey.encoded
    }

    override fun sign(alias: String, message: ByteArray): ByteArray = guard {
        Signature.getInstance("SHA256withECDSA").run {
            initSign(signingKey(alias))
            update(message)
            sign()
        }
    }

    /** Deleting a key that does not exist succeeds, as the hook requires. */
    override fun deleteKey(alias: String): Unit = guard {
        if (keyStore.containsAlias(alias)) keyStore.deleteEntry(alias)
    }

    private fun wrappingKey(alias: String): SecretKey {
        (keyStore.getKey(alias, null) as? SecretKey)?.let { return it }
        return withStrongBoxFallback { strongBox ->
            val spec = KeyGenParameterSpec.Builder(
                alias,
                KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
            )
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .apply { if (strongBox) setIsStrongBoxBacked(true) }
                .build()
            KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER)
                .apply { init(spec) }
                .generateKey()
        }
    }

    private fun signingKey(alias: String): PrivateKey {
        (keyStore.getKey(alias, null) as? PrivateKey)?.let { return it }
        return withStrongBoxFallback { strongBox ->
            val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
                .setAlgorithmParameterSpec(ECGenParameterSpec("secp256r1"))
                .setDigests(KeyProperties.DIGEST_SHA256)
                .apply { if (strongBox) setIsStrongBoxBacked(true) }
                .build()
            KeyPairGenerator.getInstance(KeyProperties.KEY_ALGORITHM_EC, PROVIDER)
                .apply { initialize(spec) }
                .generateKeyPair()
                .private
        }
    }

    /** Tries StrongBox first (Android 9+), then the TEE. */
    private fun <T> withStrongBoxFallback(generate: (Boolean) -> T): T {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            try {
                return generate(true)
            } catch (_: StrongBoxUnavailableException) {
                // Fall through to the TEE.
            }
        }
        return generate(false)
    }

    /** Maps platform exceptions onto the hook's error type, without personal data. */
    private inline fun <T> guard(block: () -> T): T = try {
        block()
    } catch (e: HookException) {
        throw e
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw HookException.KeyInvalidated()
    } catch (e: AEADBadTagException) {
        throw HookException.KeyInvalidated()
    } catch (e: GeneralSecurityException) {
        throw HookException.Failed(e.javaClass.simpleName)
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val FORMAT: Byte = 1
        const val IV_LEN = 12
        const val TAG_BITS = 128
    }
}
