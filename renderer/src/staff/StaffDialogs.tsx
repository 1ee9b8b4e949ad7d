import { Button, Checkbox, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FormAlert } from '../components/FormAlert'
import { SecretInput } from '../components/SecretInput'
import { useCreateStaff, useResetStaffPassword, useUpdateStaff } from '../hooks/queries'
import { fieldErrors, noticeChangedElsewhere } from '../lib/errors'
import { focusFirstError } from '../lib/forms'
import type { StaffAccount } from '../lib/types'
// Least to most access, as the role menu lists them.
import { ROLES } from '../../../db/domain'
import { PASSWORD_MIN } from './ChangePasswordForm'

type Role = StaffAccount['role']

/** Add an account (with a first password the person must change) or edit one (name, role, active). */

/** The account form's fields main may refuse. */
const STAFF_FIELDS = ['displayName', 'username', 'role', 'password', 'active'] as const
export function StaffDialog({ account, onClose }: { account: StaffAccount | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation()
  const isNew = account === 'new'
  return (
    <Modal opened={account !== null} onClose={onClose} title={isNew ? t('staff.add') : t('staff.editTitle')} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {account !== null ? <StaffForm key={isNew ? 'new' : account.id} account={isNew ? null : account} onClose={onClose} /> : null}
    </Modal>
  )
}

const USERNAME = /^[A-Za-z0-9._-]+$/

function StaffForm({ account, onClose }: { account: StaffAccount | null; onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateStaff()
  const update = useUpdateStaff()
  const mutation = account ? update : create
  // The version the form was filled from, not the newest a live refresh brings: a save over another PC's change is refused.
  const [base] = useState(account?.version)
  const form = useForm({
    initialValues: {
      displayName: account?.displayName ?? '',
      username: account?.username ?? '',
      role: (account?.role ?? 'front_desk') as Role,
      password: '',
      active: account?.active ?? true,
    },
    validate: {
      displayName: (value) => (value.trim() ? null : t('validation.required', { what: t('validation.what.staffName') })),
      username: (value) =>
        account ? null : value.trim().length < 3 ? t('validation.minLength', { min: 3 }) : USERNAME.test(value.trim()) ? null : t('validation.usernameChars'),
      password: (value) => (account || value.length >= PASSWORD_MIN ? null : t('validation.minLength', { min: PASSWORD_MIN })),
    },
  })
  const onError = (error: unknown) => (noticeChangedElsewhere(t, error) ? onClose() : form.setErrors(fieldErrors(error, STAFF_FIELDS)))
  const submit = form.onSubmit((values) => {
    if (account) {
      update.mutate(
        { id: account.id, version: base!, displayName: values.displayName.trim(), role: values.role, active: values.active },
        { onSuccess: () => onClose(), onError },
      )
    } else {
      create.mutate(
        { username: values.username.trim(), displayName: values.displayName.trim(), role: values.role, password: values.password },
        {
          onSuccess: (made) => {
            notifications.show({ message: t('staff.added', { name: made.displayName }), color: 'teal' })
            onClose()
          },
          onError,
        },
      )
    }
  }, focusFirstError)
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <TextInput label={t('staff.name')} required autoFocus {...form.getInputProps('displayName')} />
        {account ? (
          <Text size="sm">
            {t('staff.username')}: <strong>{account.username}</strong>
          </Text>
        ) : (
          <TextInput label={t('staff.username')} description={t('setup.usernameHint')} required autoComplete="off" {...form.getInputProps('username')} />
        )}
        <Select
          label={t('staff.role')}
          required
          allowDeselect={false}
          data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          {...form.getInputProps('role')}
        />
        {account ? null : (
          <SecretInput label={t('staff.firstPassword')} description={t('staff.firstPasswordHint')} required autoComplete="new-password" {...form.getInputProps('password')} />
        )}
        {account ? <Checkbox label={t('staff.activeLabel')} description={t('staff.activeHint')} {...form.getInputProps('active', { type: 'checkbox' })} /> : null}
        {/* A refusal said under its field is not said twice. */}
        <FormAlert error={Object.keys(fieldErrors(mutation.error, STAFF_FIELDS)).length === 0 ? mutation.error : null} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {account ? t('staff.save') : t('staff.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** A new password for someone who forgot theirs (or is locked out): they choose their own at next sign-in. */
export function ResetPasswordDialog({ account, onClose }: { account: StaffAccount | null; onClose: () => void }) {
  const { t } = useTranslation()
  return (
    <Modal opened={account !== null} onClose={onClose} title={t('staff.resetTitle')} size="md" closeButtonProps={{ 'aria-label': t('common.close') }}>
      {account ? <ResetForm key={account.id} account={account} onClose={onClose} /> : null}
    </Modal>
  )
}

function ResetForm({ account, onClose }: { account: StaffAccount; onClose: () => void }) {
  const { t } = useTranslation()
  const reset = useResetStaffPassword()
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (value) => (value.length >= PASSWORD_MIN ? null : t('validation.minLength', { min: PASSWORD_MIN })) },
  })
  const submit = form.onSubmit(
    ({ password }) =>
      reset.mutate(
        { id: account.id, password },
        {
          onSuccess: () => {
            notifications.show({ message: t('staff.resetDone', { name: account.displayName }), color: 'teal' })
            onClose()
          },
          onError: (error) => form.setErrors(fieldErrors(error, ['password'] as const)),
        },
      ),
    focusFirstError,
  )
  return (
    <form noValidate onSubmit={submit}>
      <Stack>
        <Text>{t('staff.resetIntro', { name: account.displayName })}</Text>
        <SecretInput label={t('staff.firstPassword')} required autoFocus autoComplete="new-password" {...form.getInputProps('password')} />
        <FormAlert error={reset.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={reset.isPending}>
            {t('staff.resetSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
