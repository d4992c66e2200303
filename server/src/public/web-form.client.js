// Progressive enhancement of /segnala: address suggestions from the local gazetteer, a
// click on the schematic map for the coordinates, and the position a photo says it was
// taken at, proposed (never imposed). The form works without any of it.
;(() => {
  const form = document.getElementById('report-form')
  if (!form) return
  const lang = document.documentElement.lang === 'en' ? 'en' : 'it'
  const text = {
    it: {
      set: (lat, lon) => `Posizione impostata: ${lat}, ${lon}.`,
      photo: (lat, lon) => `La foto indica una posizione: ${lat}, ${lon}.`,
      use: 'Usa la posizione della foto',
      found: (n) => (n === 1 ? '1 indirizzo trovato.' : `${n} indirizzi trovati.`),
    },
    en: {
      set: (lat, lon) => `Position set: ${lat}, ${lon}.`,
      photo: (lat, lon) => `The photo gives a position: ${lat}, ${lon}.`,
      use: "Use the photo's position",
      found: (n) => (n === 1 ? '1 address found.' : `${n} addresses found.`),
    },
  }[lang]
  const lat = document.getElementById('f-latitude')
  const lon = document.getElementById('f-longitude')
  const address = document.getElementById('f-address')
  const list = document.getElementById('address-list')
  const addressStatus = document.getElementById('address-status')
  const figure = document.getElementById('map-figure')
  const map = document.getElementById('map')
  const marker = document.getElementById('map-marker')
  const photos = document.getElementById('f-photos')
  const photoStatus = document.getElementById('photo-position')
  const round = (n) => Math.round(n * 1e6) / 1e6

  function placeMarker(la, lo) {
    if (!map || !marker) return
    const b = map.dataset
    const vb = map.viewBox.baseVal
    const x = ((lo - Number(b.west)) / (Number(b.east) - Number(b.west))) * vb.width
    const y = ((Number(b.north) - la) / (Number(b.north) - Number(b.south))) * vb.height
    marker.setAttribute('cx', String(x))
    marker.setAttribute('cy', String(y))
  }

  function setPosition(la, lo, status) {
    lat.value = String(round(la))
    lon.value = String(round(lo))
    placeMarker(la, lo)
    if (status) status.textContent = text.set(lat.value, lon.value)
  }

  // The map: shown only here, where a click can set the coordinates.
  if (figure && map) {
    figure.hidden = false
    map.addEventListener('click', (event) => {
      const rect = map.getBoundingClientRect()
      const b = map.dataset
      const fx = (event.clientX - rect.left) / rect.width
      const fy = (event.clientY - rect.top) / rect.height
      const lo = Number(b.west) + fx * (Number(b.east) - Number(b.west))
      const la = Number(b.north) - fy * (Number(b.north) - Number(b.south))
      setPosition(la, lo, addressStatus)
    })
    const la = Number(lat.value)
    const lo = Number(lon.value)
    if (lat.value && lon.value && Number.isFinite(la) && Number.isFinite(lo)) placeMarker(la, lo)
  }

  // Address suggestions, debounced; choosing one sets the coordinates too.
  const known = new Map()
  let timer = 0
  let asked = ''
  if (address && list) {
    address.addEventListener('input', () => {
      const label = address.value
      const chosen = known.get(label)
      if (chosen) {
        setPosition(chosen.latitude, chosen.longitude, addressStatus)
        return
      }
      clearTimeout(timer)
      timer = setTimeout(async () => {
        const q = address.value.trim()
        if (q.length < 2 || q === asked) return
        asked = q
        try {
          const res = await fetch(`/segnala/indirizzi?q=${encodeURIComponent(q)}`, {
            headers: { accept: 'application/json' },
          })
          if (!res.ok) return
          const found = await res.json()
          list.textContent = ''
          for (const a of found) {
            known.set(a.label, a)
            const option = document.createElement('option')
            option.value = a.label
            list.appendChild(option)
          }
          if (addressStatus) addressStatus.textContent = text.found(found.length)
        } catch {
          // No suggestions: the address is still sent as typed.
        }
      }, 200)
    })
  }

  // A photo's position, read by the server from its EXIF, proposed with a button.
  if (photos && photoStatus) {
    photos.addEventListener('change', async () => {
      photoStatus.textContent = ''
      for (const file of Array.from(photos.files || []).slice(0, 5)) {
        if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size > 10 * 1024 * 1024) continue
        try {
          const res = await fetch('/segnala/posizione-foto', {
            method: 'POST',
            headers: { 'content-type': file.type },
            body: file,
          })
          if (res.status !== 200) continue
          const at = await res.json()
          const la = round(at.latitude)
          const lo = round(at.longitude)
          const p = document.createElement('p')
          p.className = 'notice'
          p.textContent = text.photo(la, lo)
          const button = document.createElement('button')
          button.type = 'button'
          button.className = 'secondary'
          button.id = 'use-photo-position'
          button.textContent = text.use
          button.addEventListener('click', () => setPosition(la, lo, photoStatus))
          photoStatus.appendChild(p)
          photoStatus.appendChild(button)
          return
        } catch {
          // No position from this photo: nothing to propose.
        }
      }
    })
  }
})()
