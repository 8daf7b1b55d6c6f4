#pragma once
// Settings of one feature extraction: images, the model output to use, preprocessing, device.

#include "alignscope/feature_extraction.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

class ExtractionDialog : public QDialog
{
    Q_OBJECT
public:
    // `info` fills the method and output choices (what the model's probe forward returned).
    ExtractionDialog(const alignscope::ModelInfo& info, QWidget* parent = nullptr);

    void setImages(const QString& folderOrList);
    QString images() const;
    // The request for the chosen settings; errors name the field (e.g. a malformed mean).
    alignscope::Result<alignscope::ExtractionRequest> request() const;
    bool useCache() const;

private:
    void applyPreset(const QString& name);

    QString m_modelPath;
    QLineEdit* m_images;
    QComboBox* m_method;
    QComboBox* m_output;
    QComboBox* m_pooling;
    QComboBox* m_preset;
    QSpinBox* m_resize;
    QSpinBox* m_crop;
    QComboBox* m_interpolation;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QSpinBox* m_batchSize;
    QComboBox* m_device;
    QCheckBox* m_half;
    QCheckBox* m_skipBroken;
    QCheckBox* m_cache;
};
