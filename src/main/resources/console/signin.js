'use strict';
// Signs in with a key sent once in the body; the answer sets the HttpOnly session cookie, so the key is never kept.
document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = document.getElementById('key');
  const error = document.getElementById('error');
  error.textContent = '';
  if (!key.value) {
    error.textContent = 'Enter a key.';
    key.focus();
    return;
  }
  try {
    const response = await fetch('/console/session', {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ key: key.value })
    });
    key.value = '';
    if (response.ok) {
      location.replace('/console');
      return;
    }
    const envelope = await response.json().catch(() => null);
    error.textContent = (envelope && envelope.message) || ('Sign-in failed (' + response.status + ').');
  } catch (failure) {
    error.textContent = 'The gateway did not answer: ' + failure.message;
  }
  key.focus();
});
