package org.palmgov.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.StrongBoxUnavailableException
import java.io.InputStream
import java.io.OutputStream
import java.security.Key
import java.security.KeyFactory
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.KeyPairGeneratorSpi
import java.security.KeyStoreSpi
import java.security.Provider
import java.security.PublicKey
import java.security.SecureRandom
import java.security.Security
import java.security.Signature
import java.security.cert.Certificate
import java.security.spec.AlgorithmParameterSpec
import java.security.spec.ECGenParameterSpec
import java.security.spec.X509EncodedKeySpec
import java.util.Collections
import java.util.Date
import java.util.Enumeration
import javax.crypto.KeyGenerator
import javax.crypto.KeyGeneratorSpi
import javax.crypto.SecretKey
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.After
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.palmgov.HookException
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * [AndroidKeystore] on Android 8.0 (no StrongBox API), 9 and 11, against a
 * stand-in "AndroidKeyStore" JCA provider: the real one lives in the OS,
 * which Robolectric does not have. What this checks is the hook's own code
 * on each version: that it builds its key specs with the API that version
 * has (on 8.0, `setIsStrongBoxBacked` does not exist and would throw
 * NoSuchMethodError), asks for StrongBox first from Android 9 and falls back
 * to the TEE, and that the blob format and error mapping hold.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [26, 28, 30])
class AndroidKeystoreTest {
    @Before
    fun install() {
        FakeAndroidKeyStore.reset()
        Security.insertProviderAt(FakeAndroidKeyStore, 1)
    }

    @After
    fun uninstall() = Security.removeProvider(FakeAndroidKeyStore.name)

    private val dataKey = ByteArray(32) { it.toByte() }

    @Test
    fun `wraps, unwraps and signs on each version`() {
        val keystore = AndroidKeystore()
        val wrapped = keystore.wrapKey("data", dataKey)
        assertEquals(1, wrapped[0].toInt(), "format version")
        assertEquals(1 + 12 + 32 + 16, wrapped.size)
        assertContentEquals(dataKey, keystore.unwrapKey("data", wrapped))
        // A second instance (the next app start) opens the same blob.
        assertContentEquals(dataKey, AndroidKeystore().unwrapKey("data", wrapped))

        val message = "device binding".toByteArray()
        val signature = keystore.sign("device", message)
        val public = KeyFactory.getInstance("EC").generatePublic(X509EncodedKeySpec(keystore.devicePublicKey("device")))
        val verifier = Signature.getInstance("SHA256withECDSA").apply { initVerify(public); update(message) }
        assertTrue(verifier.verify(signature))
    }

    @Test
    fun `a deleted signing key is gone, and deleting it again succeeds`() {
        val keystore = AndroidKeystore()
        val first = keystore.devicePublicKey("holder.a")
        val other = keystore.devicePublicKey("holder.b")
        keystore.deleteKey("holder.a")
        keystore.deleteKey("holder.a")
        assertFalse(first.contentEquals(keystore.devicePublicKey("holder.a")), "a new key")
        assertContentEquals(other, keystore.devicePublicKey("holder.b"))
    }

    @Test
    fun `StrongBox is asked for only from Android 9, and a phone without it gets the TEE`() {
        FakeAndroidKeyStore.strongBox = false
        val keystore = AndroidKeystore()
        keystore.wrapKey("data", dataKey)
        keystore.devicePublicKey("device")
        val expected = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            listOf("data" to true, "data" to false, "device" to true, "device" to false)
        } else {
            listOf("data" to false, "device" to false)
        }
        assertEquals(expected, FakeAndroidKeyStore.requests)
    }

    @Test
    fun `a phone with StrongBox keeps its keys there`() {
        FakeAndroidKeyStore.strongBox = true
        val keystore = AndroidKeystore()
        assertContentEquals(dataKey, keystore.unwrapKey("data", keystore.wrapKey("data", dataKey)))
        val strongBox = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P
        assertEquals(listOf("data" to strongBox), FakeAndroidKeyStore.requests)
    }

    @Test
    fun `a blob the key does not open is KeyInvalidated`() {
        val keystore = AndroidKeystore()
        val wrapped = keystore.wrapKey("data", dataKey)
        val tampered = wrapped.copyOf().also { it[it.size - 1] = (it[it.size - 1] + 1).toByte() }
        assertFailsWith<HookException.KeyInvalidated> { keystore.unwrapKey("data", tampered) }
        assertFailsWith<HookException.KeyInvalidated> { keystore.unwrapKey("data", byteArrayOf(2) + wrapped.copyOfRange(1, wrapped.size)) }
        // A reset phone: the key is gone.
        FakeAndroidKeyStore.reset()
        assertFailsWith<HookException.KeyInvalidated> { AndroidKeystore().unwrapKey("data", wrapped) }
    }
}

/**
 * A stand-in for the OS's "AndroidKeyStore" provider: keys in memory, the
 * [KeyGenParameterSpec] of every generation recorded, StrongBox present or
 * not as [strongBox] says (absent: generation with it throws, as Android does).
 */
object FakeAndroidKeyStore : Provider("AndroidKeyStore", "1.0", "palmgov test stand-in") {
    @Volatile var strongBox = false
    val requests: MutableList<Pair<String, Boolean>> = Collections.synchronizedList(mutableListOf())
    private val store = Collections.synchronizedMap(mutableMapOf<String, Pair<Key, PublicKey?>>())

    fun reset() {
        strongBox = false
        requests.clear()
        store.clear()
    }

    init {
        putService(service("KeyStore", "AndroidKeyStore") { Store() })
        putService(service("KeyGenerator", "AES") { AesGenerator() })
        putService(service("KeyPairGenerator", "EC") { EcGenerator() })
    }

    private fun service(type: String, algorithm: String, create: () -> Any) =
        object : Service(this, type, algorithm, "org.palmgov.android.FakeAndroidKeyStore\$$type", null, null) {
            override fun newInstance(constructorParameter: Any?): Any = create()
        }

    /** The first provider of [service] other than this one (Conscrypt in Robolectric, as on a phone). */
    private fun real(service: String): Provider = Security.getProviders(service).first { it !== this }

    /** Records the spec and refuses StrongBox where the phone has none. */
    private fun request(spec: KeyGenParameterSpec) {
        // The getter, like the setter, exists from Android 9 only.
        val strong = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P && spec.isStrongBoxBacked
        requests += spec.keystoreAlias to strong
        if (strong && !strongBox) throw StrongBoxUnavailableException()
    }

    private class AesGenerator : KeyGeneratorSpi() {
        private lateinit var spec: KeyGenParameterSpec

        override fun engineInit(random: SecureRandom?) = error("needs a KeyGenParameterSpec")
        override fun engineInit(keysize: Int, random: SecureRandom?) = error("needs a KeyGenParameterSpec")
        override fun engineInit(params: AlgorithmParameterSpec?, random: SecureRandom?) {
            spec = params as KeyGenParameterSpec
        }

        override fun engineGenerateKey(): SecretKey {
            request(spec)
            val key = KeyGenerator.getInstance("AES", real("KeyGenerator.AES")).apply { init(spec.keySize) }.generateKey()
            store[spec.keystoreAlias] = key to null
            return key
        }
    }

    private class EcGenerator : KeyPairGeneratorSpi() {
        private lateinit var spec: KeyGenParameterSpec

        override fun initialize(keysize: Int, random: SecureRandom?) = error("needs a KeyGenParameterSpec")
        override fun initialize(params: AlgorithmParameterSpec?, random: SecureRandom?) {
            spec = params as KeyGenParameterSpec
        }

        override fun generateKeyPair(): KeyPair {
            request(spec)
            val curve = (spec.algorithmParameterSpec as ECGenParameterSpec).name
            val pair = KeyPairGenerator.getInstance("EC", real("KeyPairGenerator.EC")).apply { initialize(ECGenParameterSpec(curve)) }.generateKeyPair()
            store[spec.keystoreAlias] = pair.private to pair.public
            return pair
        }
    }

    private class OnlyKey(private val key: PublicKey) : Certificate("X.509") {
        override fun getPublicKey() = key
        override fun getEncoded() = key.encoded
        override fun verify(key: PublicKey?) = Unit
        override fun verify(key: PublicKey?, sigProvider: String?) = Unit
        override fun toString() = "certificate of $key"
    }

    private class Store : KeyStoreSpi() {
        override fun engineLoad(stream: InputStream?, password: CharArray?) = Unit
        override fun engineStore(stream: OutputStream?, password: CharArray?) = Unit
        override fun engineGetKey(alias: String, password: CharArray?): Key? = store[alias]?.first
        override fun engineGetCertificate(alias: String): Certificate? = store[alias]?.second?.let { OnlyKey(it) }
        override fun engineGetCertificateChain(alias: String): Array<Certificate>? =
            engineGetCertificate(alias)?.let { arrayOf(it) }
        override fun engineGetCreationDate(alias: String): Date? = null
        override fun engineSetKeyEntry(alias: String, key: Key, password: CharArray?, chain: Array<out Certificate>?) =
            error("not used")
        override fun engineSetKeyEntry(alias: String, key: ByteArray, chain: Array<out Certificate>?) = error("not used")
        override fun engineSetCertificateEntry(alias: String, cert: Certificate) = error("not used")
        override fun engineDeleteEntry(alias: String) {
            store.remove(alias)
        }
        override fun engineAliases(): Enumeration<String> = Collections.enumeration(store.keys.toList())
        override fun engineContainsAlias(alias: String) = alias in store
        override fun engineSize() = store.size
        override fun engineIsKeyEntry(alias: String) = alias in store
        override fun engineIsCertificateEntry(alias: String) = false
        override fun engineGetCertificateAlias(cert: Certificate): String? = null
    }
}
