import { useForm } from '@mantine/form'
import { useTranslation } from 'react-i18next'
import { focusField, focusFirstError } from '../lib/forms'

export interface Credentials {
  username: string
  password: string
}

type Submit = (values: Credentials, options: { onError: () => void }) => void

/**
 * Username and password, as every sign-in form asks them (login, someone else on a locked
 * screen): both required, and a failed try clears the password and puts the cursor back in it.
 */
export function useCredentialsForm(signIn: Submit) {
  const { t } = useTranslation()
  const form = useForm<Credentials>({
    initialValues: { username: '', password: '' },
    validate: {
      username: (value) => (value.trim() ? null : t('validation.required', { what: t('validation.what.username') })),
      password: (value) => (value ? null : t('validation.required', { what: t('validation.what.password') })),
    },
  })
  const submit = form.onSubmit(
    (values) =>
      signIn(values, {
        onError: () => {
          form.setFieldValue('password', '')
          focusField('password')
        },
      }),
    focusFirstError,
  )
  return { form, submit }
}
